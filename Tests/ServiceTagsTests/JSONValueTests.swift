import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The small generic JSON tree, read by the streaming scanner (`JSONValue(parsing:)`: one grammar and
/// one error type with the ServiceTags reader) and written by `serialized`. The independent
/// reference is Foundation's `JSONSerialization`: documents we write must read back there as the
/// same tree.
@Suite struct JSONValueTests {
    static func parse(_ s: String) throws(JSONError) -> JSONValue { try JSONValue(parsing: Array(s.utf8)) }

    static func reason(_ s: String) -> JSONError.Reason? {
        do { _ = try parse(s); return nil } catch { return error.reason }
    }

    @Test func parsesEveryKindOfValue() throws {
        let v = try Self.parse(#" { "a" : [1, -0.5e+3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {} , "c": [] } "#)
        let expected = JSONValue.object([
            .init("a", .array([.number("1"), .number("-0.5e+3"), .bool(true), .bool(false), .null,
                               .string("x\"\\/\u{08}\u{0C}\n\r\té😀")])),
            .init("b", .object([])),
            .init("c", .array([])),
        ])
        #expect(v == expected)
        #expect(v["a"]?.arrayValue?.first?.intValue == 1)
        #expect(v["a"]?.arrayValue?[1].intValue == nil)  // not an integer literal
        #expect(v["missing"] == nil)
    }

    @Test func scalarsAtTopLevelAndByteOrderMark() throws {
        #expect(try Self.parse("0") == .number("0"))
        #expect(try Self.parse("\"\"") == .string(""))
        #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("null".utf8)) == .null)
        #expect(try Self.parse("\"caf\u{e9} \u{1F600}\"") == .string("café 😀"))  // raw UTF-8 kept
    }

    @Test(arguments: [
        ("", JSONError.Reason.unexpectedEnd),
        ("[1,]", .trailingComma),
        ("{\"a\":1,}", .trailingComma),
        ("{'a':1}", .unexpectedCharacter(UInt8(ascii: "'"), expected: .keyOrObjectEnd)),
        ("{\"a\" 1}", .unexpectedCharacter(UInt8(ascii: "1"), expected: .colon)),
        ("[1 2]", .unexpectedCharacter(UInt8(ascii: "2"), expected: .commaOrArrayEnd)),
        ("01", .invalidNumber),  // leading zero
        ("[01]", .invalidNumber),
        ("-", .unexpectedEnd),  // cut off: the start of a number
        ("1.", .unexpectedEnd),
        ("1e", .unexpectedEnd),
        ("[-]", .invalidNumber),
        ("[1.]", .invalidNumber),
        ("[1e]", .invalidNumber),
        ("+1", .unexpectedCharacter(UInt8(ascii: "+"), expected: .value)),
        ("NaN", .unexpectedCharacter(UInt8(ascii: "N"), expected: .value)),
        ("tru", .unexpectedEnd),
        ("nul!", .invalidLiteral),
        ("\"a\\x\"", .invalidEscape(UInt8(ascii: "x"))),
        ("\"\\u12G4\"", .invalidUnicodeEscape),
        ("\"\\ud800\"", .loneSurrogate),  // lone high surrogate
        ("\"\\udc00\\ud800\"", .loneSurrogate),  // reversed pair
        ("\"a\tb\"", .controlCharacterInString(0x09)),
        ("\"abc", .unexpectedEnd),
        ("{\"a\":1,\"a\":2}", .duplicateKey("a")),
        ("1 2", .trailingGarbage(UInt8(ascii: "2"))),
        ("{} //", .trailingGarbage(UInt8(ascii: "/"))),
    ])
    func rejects(input: String, reason: JSONError.Reason) {
        #expect(Self.reason(input) == reason, "input: \(input)")
        // The independent parser agrees that each of these is not JSON, except where it is lenient:
        // Foundation accepts duplicate keys and trailing commas.
        if case .duplicateKey = reason { return }
        if input == "[1,]" || input == "{\"a\":1,}" { return }
        #expect((try? JSONSerialization.jsonObject(with: Data(input.utf8), options: [.fragmentsAllowed])) == nil, "input: \(input)")
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
        do { _ = try JSONValue(parsing: [0x22, 0xFF, 0x22]); Issue.record("accepted 0xFF") } catch {
            #expect(error.reason == .invalidUTF8)
        }
    }

    @Test func depthIsCapped() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue(parsing: Array(ok.utf8), maxDepth: 64) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        do { _ = try JSONValue(parsing: Array(deep.utf8), maxDepth: 64); Issue.record("accepted depth 65") } catch {
            #expect(error.reason == .nestingTooDeep(limit: 64))
            #expect(error.location.offset == 64)
        }
        // Far deeper than any stack could take recursively, still a clean error.
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONError.self) { try JSONValue(parsing: Array(hostile.utf8)) }
    }

    @Test func errorsSayWhere() {
        do { _ = try Self.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"); Issue.record("accepted") } catch {
            #expect(error.location == JSONLocation(offset: 18, line: 3, column: 7))
            #expect(error.description == "3:7 (byte 18): unexpected character '2', expected ':'")
        }
    }

    @Test func integersAreExactAtTheEdges() throws {
        #expect(try Self.parse("9223372036854775807").intValue == Int.max)
        #expect(try Self.parse("-9223372036854775808").intValue == Int.min)
        #expect(try Self.parse("9223372036854775808").intValue == nil)  // does not fit
        #expect(try Self.parse("1E3").intValue == nil)
        #expect(try Self.parse("1e400") == .number("1e400"))  // kept as written, not rounded
    }

    /// Random trees: our text must parse in Foundation to the same tree, and in ours to the original.
    @Test(arguments: [UInt64(1), 2, 3, 0xDEAD_BEEF])
    func randomDocumentsRoundTripThroughFoundation(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let value = Self.randomValue(&rng, depth: 0)
            for indent in [nil, 2] as [Int?] {
                let text = value.serialized(indent: indent)
                let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
                #expect(Self.matches(value, foundation), "seed \(seed): \(text)")
                #expect(try JSONValue(parsing: Array(text.utf8)) == value, "seed \(seed): \(text)")
            }
        }
    }

    static let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "€", "😀", "\u{7F}"]

    static func randomString(_ rng: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    static func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return JSONValue(integer: Int.random(in: -1_000_000...1_000_000, using: &rng))
        case 3: return .string(randomString(&rng))
        case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var keys = Set<String>()
            var members: [JSONValue.Member] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let key = randomString(&rng)
                if keys.insert(key).inserted { members.append(.init(key, randomValue(&rng, depth: depth + 1))) }
            }
            return .object(members)
        }
    }

    /// Foundation marks JSON booleans with the Objective-C type code of `BOOL`.
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// Structural equality between our tree and Foundation's.
    static func matches(_ v: JSONValue, _ f: Any) -> Bool {
        switch v {
        case .null: return f is NSNull
        case .bool(let b): return (f as? NSNumber).map { isBoolean($0) && $0.boolValue == b } ?? false
        case .number(let text): return (f as? NSNumber).map { !isBoolean($0) && $0.int64Value == Int64(text)! } ?? false
        case .string(let s): return (f as? String) == s
        case .array(let items):
            guard let a = f as? [Any], a.count == items.count else { return false }
            return zip(items, a).allSatisfy { matches($0, $1) }
        case .object(let members):
            guard let d = f as? [String: Any], d.count == members.count else { return false }
            return members.allSatisfy { m in d[m.key].map { matches(m.value, $0) } ?? false }
        }
    }
}

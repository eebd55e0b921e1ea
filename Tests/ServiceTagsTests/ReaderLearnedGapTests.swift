import Foundation
@testable import ServiceTags
import ExportTargetModels
import Testing
import ServiceTagsTestSupport

/// The reader remembers the bytes between tokens (`LearnedGap`: element gaps, member preludes)
/// and crosses an identical run with word compares. These documents keep their whitespace for a
/// while and then change it, reorder keys, add unknown or escaped keys, so learned runs are both
/// reused and broken, and check the values against `JSONSerialization` and error locations
/// against line and column counted independently from the bytes.
@Suite("Reader learned gaps")
struct ReaderLearnedGapTests {
    enum Injection: CaseIterable {
        case invalidPrefix, duplicateKey, duplicateName
    }

    /// A generated document, and the offset where the injected error must be reported.
    struct Document {
        var bytes: [UInt8]
        var errorOffset: Int?
    }

    /// Whitespace runs that a slot keeps for a while (so it is learned), then swaps.
    static let palette = ["", " ", "  ", "\n", "\n  ", "\n        ", "\r\n      ", "\t", " \n\t ", "\n\n          "]

    static func document(seed: UInt64, tags: Int, inject: Injection? = nil) -> Document {
        var rng = SplitMix64(seed: seed)
        var out: [UInt8] = []
        var errorOffset: Int?
        // One whitespace style per slot kind (before a comma, after it, before a colon, after it),
        // kept for whole tags so learned runs repeat, and redrawn with probability 1/5 per tag.
        var styles = [5, 5, 0, 1]
        func ws(_ slot: Int) -> String { palette[styles[slot]] }
        func restyle() {
            for slot in styles.indices where rng.next() % 5 == 0 { styles[slot] = Int(rng.next() % UInt64(palette.count)) }
        }
        func emit(_ s: String) { out += Array(s.utf8) }
        func key(_ name: String, plain: Bool) {
            // Now and then a key spelled with an escape, which only the general path reads.
            if !plain, rng.next() % 20 == 0, let first = name.unicodeScalars.first {
                emit("\"\\u00\(String(first.value, radix: 16))\(name.dropFirst())\"")
            } else {
                emit("\"\(name)\"")
            }
            emit(ws(2) + ":" + ws(3))
        }
        /// Members in order; a member named with a leading `!` is the injected duplicate key,
        /// whose offset is recorded and which is never escaped.
        func members(_ list: [(String, () -> Void)]) {
            emit("{")
            for (i, (name, value)) in list.enumerated() {
                if i > 0 { emit(ws(0) + ",") }
                emit(ws(1))
                if name.hasPrefix("!") {
                    errorOffset = out.count
                    key(String(name.dropFirst()), plain: true)
                } else {
                    key(name, plain: false)
                }
                value()
            }
            emit(ws(0) + "}")
        }
        func prefixText() -> String {
            if rng.next() % 4 == 0 {
                let address = IPv6Address(bits: UInt128(rng.next()) << 64 | UInt128(rng.next() % 3 == 0 ? 0 : rng.next()))
                return IPv6Prefix(masking: address, length: Int(rng.next() % 129)).description
            }
            return IPv4Prefix(masking: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: Int(rng.next() % 33)).description
        }
        let errorTag = tags / 2 + Int(rng.next() % UInt64(tags - tags / 2))
        emit("{" + ws(1) + "\"changeNumber\":" + ws(3) + "\(seed)," + ws(1) + "\"cloud\": \"Public\"," + ws(1) + "\"values\": [")
        for t in 0..<tags {
            restyle()
            if t > 0 { emit(ws(0) + ",") }
            emit(ws(1))
            let name = inject == .duplicateName && t == errorTag ? "Tag.0" : "Tag.\(t)"
            var properties: [(String, () -> Void)] = [
                ("changeNumber", { emit(rng.next() % 10 == 0 ? "null" : "\(rng.next() % 1000)") }),
                ("region", { emit("\"region\(rng.next() % 3)\"") }),
                ("regionId", { emit("\(rng.next() % 3)") }),
                ("platform", { emit("\"Azure\"") }),
                ("systemService", { emit(rng.next() % 2 == 0 ? "\"\"" : "\"Service\(t / 7)\"") }),
                ("addressPrefixes", {
                    let count = Int(rng.next() % 30) + (t == errorTag ? 1 : 0)
                    emit("[")
                    for j in 0..<count {
                        if j > 0 { emit(ws(0) + ",") }
                        emit(ws(1))
                        if inject == .invalidPrefix && t == errorTag && j == count / 2 {
                            errorOffset = out.count
                            emit("\"10.0.0.1/8\"")  // host bits set
                        } else {
                            emit("\"\(prefixText())\"")
                        }
                    }
                    emit(ws(0) + "]")
                }),
                ("networkFeatures", { emit(rng.next() % 10 == 0 ? "null" : "[\"API\"," + ws(1) + "\"NSG\"]") }),
            ]
            if rng.next() % 10 == 0 { properties.swapAt(Int(rng.next() % 7), Int(rng.next() % 7)) }
            if rng.next() % 10 == 0 {
                properties.insert(("extra", { emit("{\"a\": [1, \"x\", {}], \"b\": null}") }), at: Int(rng.next() % 8))
            }
            if rng.next() % 10 == 0, let i = properties.firstIndex(where: { $0.0 == "regionId" }) { properties.remove(at: i) }
            if inject == .duplicateKey && t == errorTag {
                // `region`, `changeNumber`, then `region` again where the prelude learned after
                // `changeNumber` (from the other tags) introduces `region`: the learned path must
                // still notice the duplicate.
                let region = properties.first { $0.0 == "region" }!
                let changeNumber = properties.first { $0.0 == "changeNumber" }!
                properties.removeAll { $0.0 == "region" || $0.0 == "changeNumber" }
                properties.insert(contentsOf: [region, changeNumber, ("!region", { emit("\"again\"") })], at: 0)
            }
            members([
                ("name", {
                    if inject == .duplicateName && t == errorTag { errorOffset = out.count }
                    emit("\"\(name)\"")
                }),
                ("id", { emit("\"\(name)\"") }),
                ("properties", { members(properties) }),
            ])
        }
        emit(ws(0) + "]" + ws(1) + "}\n")
        return Document(bytes: out, errorOffset: errorOffset)
    }

    /// Line and column of `offset`, counted from the bytes (column in bytes, 1-based).
    static func lineAndColumn(_ bytes: [UInt8], _ offset: Int) -> (line: Int, column: Int) {
        let before = bytes[..<offset]
        let line = before.count(where: { $0 == 0x0A }) + 1
        let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
        return (line, offset - lineStart + 1)
    }

    @Test(arguments: 0..<12)
    func variedWhitespaceReadsLikeJSONSerialization(_ seed: Int) throws {
        let document = Self.document(seed: UInt64(seed), tags: 50)
        let expected = try JSONSerializationServiceTags.read(document.bytes)
        let inMemory = try ServiceTagsFile(bytes: document.bytes, path: "g")
        #expect(JSONSerializationServiceTags.same(inMemory, expected))
        for chunk in [5, 61, 4096] {
            let viaFile = try ReaderTestSupport.readThroughFile(document.bytes, chunkSize: chunk)
            #expect(JSONSerializationServiceTags.same(viaFile, expected), "chunk \(chunk)")
        }
    }

    /// Errors after hundreds of learned gaps are reported where they are: offset, line and
    /// column as counted from the bytes, in memory and through small reads.
    @Test(arguments: Injection.allCases)
    func errorsAfterLearnedGapsHaveExactLocations(_ injection: Injection) throws {
        for seed in 0..<6 {
            let document = Self.document(seed: UInt64(100 + seed), tags: 40, inject: injection)
            let offset = try #require(document.errorOffset)
            let (line, column) = Self.lineAndColumn(document.bytes, offset)
            var errors = [ReaderTestSupport.error(reading: document.bytes)]
            for chunk in [7, 300] {
                do {
                    _ = try ReaderTestSupport.readThroughFile(document.bytes, chunkSize: chunk)
                    errors.append(nil)
                } catch {
                    errors.append(error)
                }
            }
            for error in errors {
                let error = try #require(error, "seed \(seed): no error")
                switch (injection, error.reason) {
                case (.invalidPrefix, .invalidPrefix), (.duplicateKey, .duplicateKey), (.duplicateName, .duplicateTagName): break
                default: Issue.record("seed \(seed): unexpected \(error)")
                }
                #expect(error.location == JSONLocation(offset: offset, line: line, column: column), "seed \(seed): \(error)")
            }
        }
    }

    /// A gap is only learned as a whole: a run that differs in its last byte (here the element
    /// after the gap is a number) must not be crossed as if it matched.
    @Test func aGapDifferingInItsLastByteIsNotCrossed() throws {
        var text = "{\"values\": [{\"name\": \"a\", \"properties\": {\"addressPrefixes\": ["
        text += Array(repeating: "\n  \"10.0.0.0/8\"", count: 6).joined(separator: ",")
        text += ",\n  10]}}]}"
        let offset = text.utf8.count - "10]}}]}".utf8.count
        // Trailing whitespace is valid and keeps the reader's look-ahead margin to the end.
        text += String(repeating: " ", count: 200)
        let error = try #require(ReaderTestSupport.error(reading: Array(text.utf8)))
        #expect(error.reason == .wrongType(expected: .string, found: .number))
        let (line, column) = Self.lineAndColumn(Array(text.utf8), offset)
        #expect(error.location == JSONLocation(offset: offset, line: line, column: column))
        #expect(error.jsonPath == "values[0].properties.addressPrefixes[6]")
    }
}

/// Values the reader reads whole when their text repeats (`networkFeatures`), and the shortcut
/// paths for hex digits and small integers, against independent rules.
@Suite("Reader shortcut values")
struct ReaderShortcutValueTests {
    /// Features texts that repeat, change by one byte at the same length, turn null or empty: each
    /// tag's value must be what its own text says, even when the caller hands `next(into:)` a tag
    /// whose features were replaced meanwhile.
    @Test func learnedFeaturesAlwaysFollowTheText() throws {
        let variants = ["[\"API\", \"NSG\"]", "[\"API\", \"NSX\"]", "[\n  \"API\",\n  \"NSG\"\n]", "null", "[]",
                        "[\"API\", \"NSG\", \"UDR\", \"FW\"]"]
        var rng = SplitMix64(seed: 5)
        var text = "{\"values\": ["
        for t in 0..<300 {
            let features = variants[rng.next() % 3 == 0 ? Int(rng.next() % UInt64(variants.count)) : t / 40 % variants.count]
            text += (t > 0 ? ",\n" : "") + "{\"name\": \"T\(t)\", \"properties\": {\"addressPrefixes\": [], \"networkFeatures\": \(features)}}"
        }
        text += "]}"
        let bytes = Array(text.utf8)
        let expected = try JSONSerializationServiceTags.read(bytes)
        #expect(JSONSerializationServiceTags.same(try ServiceTagsFile(bytes: bytes, path: "f"), expected))
        try ServiceTagsReader.withReader(over: bytes.span, path: "f") { (reader) throws(ServiceTagsError) in
            var tag = ServiceTag(name: "")
            var index = 0
            while true {
                tag.networkFeatures = index % 2 == 0 ? ["tampered"] : nil
                guard try reader.next(into: &tag) else { break }
                #expect(tag.networkFeatures == expected.tags[index].networkFeatures, "tag \(index)")
                index += 1
            }
            #expect(index == 300)
        }
    }

    /// Every byte: the table says what the digit rules say.
    @Test func hexTableMatchesTheHexDigitRules() {
        #expect(InPlacePrefixParser.hexValues.utf8CodeUnitCount == 256)
        for c in 0...255 {
            let reference = Character(UnicodeScalar(UInt8(c))).hexDigitValue.map(UInt8.init)
            #expect(InPlacePrefixParser.hexDigit(UInt8(c)) == reference, "byte \(c)")
        }
    }

    /// Integers in every spelling the shortcut takes or declines, with what the JSON number
    /// grammar and `Int` say (written out by hand), directly before `,` and before `}`.
    @Test(arguments: [
        ("0", 0), ("7", 7), ("42", 42), ("123456789012345678", 123_456_789_012_345_678),
        ("1234567890123456789", 1_234_567_890_123_456_789), ("9223372036854775807", Int.max), ("-5", -5), ("-0", 0),
    ] as [(String, Int)])
    func integersReadTheirValue(_ text: String, _ value: Int) throws {
        for after in [",\"addressPrefixes\": []}", "}"] {
            let document = "{\"values\": [{\"name\": \"a\", \"properties\": {" + (after == "}" ? "\"addressPrefixes\": [], " : "")
                + "\"regionId\": \(text)\(after)}]}"
            let file = try ServiceTagsFile(bytes: Array(document.utf8), path: "n")
            #expect(file.tags.first?.regionId == value, "\(text) before \(after)")
        }
    }

    @Test(arguments: [
        ("9223372036854775808", ServiceTagsError.Reason.numberOutOfRange), ("00", .syntax(.invalidNumber)),
        ("01", .syntax(.invalidNumber)), ("5-", .syntax(.invalidNumber)), ("2+", .syntax(.invalidNumber)),
        ("1.5", .wrongType(expected: .integer, found: .number)), ("1e3", .wrongType(expected: .integer, found: .number)),
        ("1E2", .wrongType(expected: .integer, found: .number)),
    ] as [(String, ServiceTagsError.Reason)])
    func malformedOrFractionalIntegersAreErrors(_ text: String, _ reason: ServiceTagsError.Reason) throws {
        let document = "{\"values\": [{\"name\": \"a\", \"properties\": {\"regionId\": \(text), \"addressPrefixes\": []}}]}"
        let error = try #require(ReaderTestSupport.error(reading: Array(document.utf8)))
        #expect(error.reason == reason, "\(text)")
        #expect(error.location?.offset == document.utf8.count - "\(text), \"addressPrefixes\": []}}]}".utf8.count)
    }
}

import Foundation
import ServiceTags
import Testing

/// One malformed fixture and the error it must give. Offsets, lines and columns were counted by
/// hand on the fixture text (column = bytes since the line start, 1-based).
struct MalformedCase: CustomTestStringConvertible, Sendable {
    var file: String
    var reason: ServiceTagsError.Reason
    var offset: Int
    var line: Int
    var column: Int
    var path: String
    var tag: String? = nil
    var testDescription: String { file }
}

private let cases: [MalformedCase] = [
    // Ends after `"192.0.2.0/24",` and a newline: the end is line 3, column 1.
    MalformedCase(file: "truncated.json", reason: .truncated, offset: 129, line: 3, column: 1,
                  path: "values[0].properties.addressPrefixes", tag: "A"),
    MalformedCase(file: "empty.json", reason: .truncated, offset: 0, line: 1, column: 1, path: ""),
    // `"cloud" "Public"`: the colon is missing; found the quote of "Public".
    MalformedCase(file: "syntax-error.json", reason: .syntax(.unexpectedCharacter(0x22, expected: .colon)),
                  offset: 28, line: 1, column: 29, path: "cloud"),
    // `["192.0.2.0/24",]`: reported at the `]`.
    MalformedCase(file: "trailing-comma.json", reason: .syntax(.trailingComma), offset: 128, line: 2, column: 78,
                  path: "values[0].properties.addressPrefixes", tag: "A"),
    // `"A\qB"`: at the backslash; the name is not known yet.
    MalformedCase(file: "bad-escape.json", reason: .syntax(.invalidEscape(UInt8(ascii: "q"))), offset: 64, line: 2,
                  column: 14, path: "values[0].name"),
    MalformedCase(file: "lone-surrogate.json", reason: .syntax(.loneSurrogate), offset: 74, line: 2, column: 24,
                  path: "values[0].id", tag: "A"),
    // A raw tab inside `"west<TAB>example"`.
    MalformedCase(file: "control-char.json", reason: .syntax(.controlCharacterInString(0x09)), offset: 108, line: 2,
                  column: 58, path: "values[0].properties.region", tag: "A"),
    MalformedCase(file: "invalid-utf8.json", reason: .syntax(.invalidUTF8), offset: 64, line: 2, column: 14,
                  path: "values[0].name"),
    MalformedCase(file: "wrong-type-prefixes.json", reason: .wrongType(expected: .array, found: .object), offset: 117,
                  line: 3, column: 24, path: "values[0].properties.addressPrefixes", tag: "A"),
    MalformedCase(file: "non-string-prefix.json", reason: .wrongType(expected: .string, found: .number), offset: 138,
                  line: 4, column: 5, path: "values[0].properties.addressPrefixes[1]", tag: "A"),
    MalformedCase(file: "invalid-prefix.json",
                  reason: .invalidPrefix(AddressParseError(input: "192.0.2.256/24", offset: 8, reason: .octetTooLarge)),
                  offset: 113, line: 2, column: 63, path: "values[0].properties.addressPrefixes[0]", tag: "A"),
    MalformedCase(file: "host-bits.json",
                  reason: .invalidPrefix(AddressParseError(input: "198.51.100.1/24", offset: 12,
                                                           reason: .hostBitsSet(canonical: "198.51.100.0/24"))),
                  offset: 138, line: 4, column: 5, path: "values[0].properties.addressPrefixes[1]", tag: "A"),
    // The second entry's name, at its opening quote.
    MalformedCase(file: "duplicate-tag.json", reason: .duplicateTagName("A"), offset: 143, line: 3, column: 12,
                  path: "values[1].name", tag: "A"),
    MalformedCase(file: "duplicate-key.json", reason: .duplicateKey("addressPrefixes"), offset: 120, line: 3, column: 5,
                  path: "values[0].properties", tag: "A"),
    // `"deep": ` then 600 `[`: the document is container 1, so the 512th `[` (offset 23 + 511)
    // would open container 513.
    MalformedCase(file: "nesting-too-deep.json", reason: .syntax(.nestingTooDeep(limit: 512)), offset: 534, line: 1,
                  column: 535, path: "deep"),
    MalformedCase(file: "trailing-garbage.json", reason: .syntax(.trailingGarbage(UInt8(ascii: "{"))), offset: 15,
                  line: 2, column: 1, path: ""),
    // At the entry's `{`.
    MalformedCase(file: "missing-name.json", reason: .missingKey("name"), offset: 53, line: 2, column: 3,
                  path: "values[0]"),
    MalformedCase(file: "missing-address-prefixes.json", reason: .missingKey("addressPrefixes"), offset: 92, line: 2,
                  column: 42, path: "values[0].properties", tag: "A"),
    MalformedCase(file: "missing-values.json", reason: .missingKey("values"), offset: 0, line: 1, column: 1, path: ""),
    MalformedCase(file: "bad-number.json", reason: .syntax(.invalidNumber), offset: 17, line: 1, column: 18,
                  path: "changeNumber"),
    MalformedCase(file: "fractional-integer.json", reason: .wrongType(expected: .integer, found: .number), offset: 17,
                  line: 1, column: 18, path: "changeNumber"),
    MalformedCase(file: "number-out-of-range.json", reason: .numberOutOfRange, offset: 105, line: 2, column: 55,
                  path: "values[0].properties.regionId", tag: "A"),
    MalformedCase(file: "bad-literal.json", reason: .syntax(.invalidLiteral), offset: 103, line: 2, column: 53,
                  path: "values[0].properties.region", tag: "A"),
    MalformedCase(file: "wrong-top-level.json", reason: .wrongType(expected: .object, found: .array), offset: 0,
                  line: 1, column: 1, path: ""),
]

@Suite("Reader malformed fixtures")
struct ReaderMalformedTests {
    func check(_ error: ServiceTagsError?, _ c: MalformedCase, via: String) {
        guard let error else {
            Issue.record("\(c.file) parsed without error via \(via)")
            return
        }
        #expect(error.reason == c.reason, "\(via)")
        #expect(error.location == JSONLocation(offset: c.offset, line: c.line, column: c.column), "\(via)")
        #expect(error.jsonPath == c.path, "\(via)")
        #expect(error.tagName == c.tag, "\(via)")
        #expect(error.file == c.file, "\(via)")
    }

    @Test(arguments: cases)
    func inMemory(_ c: MalformedCase) throws {
        let bytes = try ReaderTestSupport.fixture("malformed/" + c.file)
        check(ReaderTestSupport.error(reading: bytes, path: c.file), c, via: "memory")
    }

    /// Line counting, token marks and lookahead must survive every refill boundary.
    @Test(arguments: cases)
    func throughTinyReads(_ c: MalformedCase) throws {
        let bytes = try ReaderTestSupport.fixture("malformed/" + c.file)
        for chunk in [1, 2, 3, 7, 64] {
            do {
                _ = try ReaderTestSupport.readThroughFile(bytes, chunkSize: chunk, path: c.file)
                check(nil, c, via: "chunk \(chunk)")
            } catch {
                check(error, c, via: "chunk \(chunk)")
            }
        }
    }

    @Test func everyMalformedFixtureHasACase() throws {
        let listed = Set(cases.map(\.file))
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: ReaderTestSupport.fixturePath("malformed")))
        #expect(listed == present)
    }

    @Test func rendersFileLocationPathTagAndMessage() throws {
        let bytes = try ReaderTestSupport.fixture("malformed/host-bits.json")
        let error = try #require(ReaderTestSupport.error(reading: bytes, path: "ServiceTags_Public.json"))
        #expect(error.description == "ServiceTags_Public.json:4:5 (byte 138): values[0].properties.addressPrefixes[1] (A): "
            + "\"198.51.100.1/24\": host bits set; did you mean 198.51.100.0/24?")
    }

    @Test func nextRethrowsTheSameErrorAfterAFailure() throws {
        let bytes = try ReaderTestSupport.fixture("malformed/duplicate-tag.json")
        var reader = ServiceTagsReader(bytes: bytes, path: "d.json")
        #expect(try reader.next()?.name == "A")
        let first = #expect(throws: ServiceTagsError.self) { try reader.next() }
        let second = #expect(throws: ServiceTagsError.self) { try reader.next() }
        #expect(first == second)
        #expect(first?.reason == .duplicateTagName("A"))
    }

    /// A byte order mark is not a column; CRLF counts one line per LF.
    @Test func columnsAfterByteOrderMarkAndCRLF() {
        let bom = ReaderTestSupport.error(reading: [0xEF, 0xBB, 0xBF] + Array(#"{"values": [1]}"#.utf8))
        #expect(bom?.location == JSONLocation(offset: 15, line: 1, column: 13))
        #expect(bom?.reason == .wrongType(expected: .object, found: .number))
        let crlf = ReaderTestSupport.error(reading: Array("{\r\n\"values\":\r\n  [x]}".utf8))
        #expect(crlf?.location == JSONLocation(offset: 17, line: 3, column: 4))  // {, CR, LF, "values" (8), :, CR, LF, 2 spaces, [
        #expect(crlf?.jsonPath == "values[0]")
    }

    @Test func missingFileAndUnreadableDescriptor() throws {
        #expect(throws: ServiceTagsError(.openFailed(errno: ENOENT), file: "/nonexistent/x.json", location: nil)) {
            try ServiceTagsFile(readingFileAt: "/nonexistent/x.json")
        }
        let error = #expect(throws: ServiceTagsError.self) { try ServiceTagsFile(readingFileAt: "/") }
        #expect(error?.reason == .readFailed(errno: EISDIR))
        #expect(error?.location == JSONLocation(offset: 0, line: 1, column: 1))
    }

    /// Duplicate names are found by bytes after unescaping, and past the name table's growth.
    @Test func duplicateNamesAreFoundEscapedAndAmongThousands() {
        let escaped = #"{"values": [{"name": "AB", "properties": {"addressPrefixes": []}}, "#
            + #"{"name": "\u0041B", "properties": {"addressPrefixes": []}}]}"#
        let e = ReaderTestSupport.error(reading: Array(escaped.utf8))
        #expect(e?.reason == .duplicateTagName("AB"))
        #expect(e?.jsonPath == "values[1].name")

        let entries = (0..<10_000).map { #"{"name": "T\#($0)", "properties": {"addressPrefixes": []}}"# }
        let unique = "{\"values\": [" + entries.joined(separator: ",") + "]}"
        #expect(ReaderTestSupport.error(reading: Array(unique.utf8)) == nil)
        let repeated = "{\"values\": [" + (entries + [entries[4321]]).joined(separator: ",") + "]}"
        let r = ReaderTestSupport.error(reading: Array(repeated.utf8))
        #expect(r?.reason == .duplicateTagName("T4321"))
        #expect(r?.jsonPath == "values[10000].name")
    }

    /// Numbers too large for `Int` are errors, never traps, however long.
    @Test func hugeNumbersAreRangeErrors() {
        // 4,000 digits: within the 4 KiB cap on kept tokens (`ReaderKeptLengthTests` has the cap).
        let digits = String(repeating: "9", count: 4000)
        let e = ReaderTestSupport.error(reading: Array("{\"changeNumber\": \(digits), \"values\": []}".utf8))
        #expect(e?.reason == .numberOutOfRange)
        let negative = ReaderTestSupport.error(reading: Array("{\"changeNumber\": -9223372036854775809, \"values\": []}".utf8))
        #expect(negative?.reason == .numberOutOfRange)
        let minimum = try? ServiceTagsFile(bytes: Array("{\"changeNumber\": -9223372036854775808, \"values\": []}".utf8), path: "m")
        #expect(minimum?.changeNumber == Int.min)
        // Skipped, a number of any length is only checked, never kept.
        let skipped = try? ServiceTagsFile(bytes: Array("{\"x\": \(digits + digits)e99999, \"values\": []}".utf8), path: "s")
        #expect(skipped != nil)
    }
}

import Foundation
import ServiceTags
import Testing

/// Issue 8 item 6: every string the reader keeps (and the numbers it reads) is capped at 4 KiB
/// of JSON text, with an error at the value's first byte naming its path; 4,096 bytes still read.
@Suite("Reader kept-length cap")
struct ReaderKeptLengthTests {
    static let limit = 4096

    /// A one-tag document with `value` in place of `field` (every other field an ordinary value).
    static func document(_ field: String, _ value: String) -> String {
        func v(_ name: String, _ normal: String) -> String { name == field ? value : normal }
        return #"{"changeNumber": "# + v("changeNumber", "1") + #", "cloud": "# + v("cloud", #""Public""#)
            + #", "values": [{"name": "# + v("name", #""A""#) + #", "id": "# + v("id", #""A""#)
            + #", "properties": {"changeNumber": 2, "region": "# + v("region", #""westeurope""#)
            + #", "regionId": 0, "platform": "# + v("platform", #""Azure""#)
            + #", "systemService": "# + v("systemService", #""S""#)
            + #", "addressPrefixes": ["# + v("prefix", #""192.0.2.0/24""#)
            + #"], "networkFeatures": ["# + v("feature", #""API""#) + #"]}}]}"#
    }

    /// field, JSON path, tag named in the error.
    static let stringFields: [(String, String, String?)] = [
        ("cloud", "cloud", nil),
        ("name", "values[0].name", nil),
        ("id", "values[0].id", "A"),
        ("region", "values[0].properties.region", "A"),
        ("platform", "values[0].properties.platform", "A"),
        ("systemService", "values[0].properties.systemService", "A"),
        ("prefix", "values[0].properties.addressPrefixes[0]", "A"),
        ("feature", "values[0].properties.networkFeatures[0]", "A"),
    ]

    /// The error reading `text` in memory and through 1-byte and 3,000-byte reads, which must agree.
    static func error(_ text: String) -> ServiceTagsError? {
        let bytes = Array(text.utf8)
        let inMemory = ReaderTestSupport.error(reading: bytes, path: "t.json")
        for chunk in [1, 3000] {
            do {
                _ = try ReaderTestSupport.readThroughFile(bytes, chunkSize: chunk, path: "t.json")
                #expect(inMemory == nil, "chunk \(chunk) accepted")
            } catch {
                #expect(error == inMemory, "chunk \(chunk)")
            }
        }
        return inMemory
    }

    /// The byte offset of `needle` in `text` (all on line 1, so the column is offset + 1).
    static func offset(of needle: String, in text: String) -> Int {
        let t = Array(text.utf8), n = Array(needle.utf8)
        return (0...(t.count - n.count)).first { t[$0..<($0 + n.count)].elementsEqual(n) }!
    }

    @Test(arguments: stringFields)
    func keptStringOverTheCapIsALocatedError(field: String, path: String, tag: String?) throws {
        let long = "\"" + String(repeating: "a", count: Self.limit + 1) + "\""
        let text = Self.document(field, long)
        let at = Self.offset(of: "\"aaaa", in: text)
        let error = try #require(Self.error(text))
        let named = tag.map { " (\($0))" } ?? ""
        #expect(error.description == "t.json:1:\(at + 1) (byte \(at)): \(path)\(named): string longer than 4096 bytes")
    }

    @Test(arguments: stringFields.filter { $0.0 != "prefix" })
    func keptStringAtTheCapReads(field: String, path: String, tag: String?) throws {
        let value = String(repeating: "a", count: Self.limit)
        #expect(Self.error(Self.document(field, "\"" + value + "\"")) == nil, "\(path)")
    }

    /// The cap is on the raw text: escapes count as written.
    @Test func escapesCountAsWritten() throws {
        let text = Self.document("name", "\"" + String(repeating: "\\n", count: Self.limit / 2) + "x\"")
        #expect(Self.error(text)?.reason == .syntax(.tooLong(.string, limit: 4096)))
        #expect(Self.error(Self.document("name", "\"" + String(repeating: "\\n", count: Self.limit / 2) + "\"")) == nil)
    }

    @Test func unknownKeyOverTheCap() throws {
        let text = #"{""# + String(repeating: "k", count: Self.limit + 1) + #"": 1, "values": []}"#
        let error = try #require(Self.error(text))
        #expect(error.description == "t.json:1:2 (byte 1): string longer than 4096 bytes")
    }

    /// 4,096 digits are read (and out of range); one more is refused as too long to keep.
    @Test func numbersAreCappedToo() throws {
        let text = Self.document("changeNumber", String(repeating: "9", count: Self.limit + 1))
        #expect(try #require(Self.error(text)).description == "t.json:1:18 (byte 17): changeNumber: number longer than 4096 bytes")
        let atCap = Self.document("changeNumber", String(repeating: "9", count: Self.limit))
        #expect(try #require(Self.error(atCap)).description == "t.json:1:18 (byte 17): changeNumber: number out of range")
    }
}

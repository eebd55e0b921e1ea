import Foundation
import ServiceTags
import ServiceTagsTestSupport
import ExportTargetModels
import Testing

/// The JSON writer: independent read-back with `JSONSerialization`, the exact layout, escaping, and
/// byte-for-byte equality with Microsoft's real files when they are present.
@Suite struct ServiceTagsJSONWriterTests {
    @Test func generatedBytesReadBackToTheModel() throws {
        for parameters in [SyntheticServiceTags.Parameters.sample, .init(tags: 150, prefixes: 2_000, seed: 11)] {
            let generated = SyntheticServiceTags(parameters)
            let read = try JSONSerializationServiceTags.read(generated.jsonBytes)
            #expect(JSONSerializationServiceTags.same(read, generated.file))
        }
    }

    /// Every line is indented two spaces per open bracket, keys are `"key": value`, arrays list one
    /// element per line, and the file ends with `}` and no newline.
    @Test func layoutIsTwoSpaceIndentedOneValuePerLine() throws {
        let text = String(decoding: SyntheticServiceTags(.sample).jsonBytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"changeNumber\": 375,\n  \"cloud\": \"Public\",\n  \"values\": [\n    {\n      \"name\": \""))
        #expect(text.hasSuffix("\n    }\n  ]\n}"))
        #expect(!text.contains("\t") && !text.contains(" \n") && !text.contains("\r"))
        var depth = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            let closes = trimmed.first == "}" || trimmed.first == "]"
            let indent = line.count - trimmed.count
            #expect(indent == 2 * (depth - (closes ? 1 : 0)), "\(line)")
            if closes { depth -= 1 }
            if trimmed.hasSuffix("{") || trimmed.hasSuffix("[") { depth += 1 }
        }
        #expect(depth == 0)
        #expect(text.contains("\n        \"addressPrefixes\": [\n          \""))
        #expect(text.contains("\"networkFeatures\": null\n") && text.contains("\"networkFeatures\": [\n          \"API\""))
        // Properties keys in the real files' order.
        let keys = ["changeNumber", "region", "regionId", "platform", "systemService", "addressPrefixes", "networkFeatures"]
        let block = try #require(text.range(of: "\"properties\": {")).upperBound
        let positions = keys.compactMap { text.range(of: "\"\($0)\":", range: block..<text.endIndex)?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
    }

    @Test func emptyArraysAndAbsentKeys() {
        let tag = ServiceTag(name: "Empty", id: "Empty", region: "", platform: "Azure")
        let file = ServiceTagsFile(changeNumber: nil, cloud: "Public", tags: [tag])
        let current = ServiceTagsJSONWriter().string(of: file)
        #expect(current == """
            {
              "cloud": "Public",
              "values": [
                {
                  "name": "Empty",
                  "id": "Empty",
                  "properties": {
                    "region": "",
                    "platform": "Azure",
                    "systemService": "",
                    "addressPrefixes": [],
                    "networkFeatures": null
                  }
                }
              ]
            }
            """)
        #expect(!ServiceTagsJSONWriter(layout: .omittingNils).string(of: file).contains("networkFeatures"))
        #expect(ServiceTagsJSONWriter().string(of: ServiceTagsFile(changeNumber: 1, cloud: "X")) == "{\n  \"changeNumber\": 1,\n  \"cloud\": \"X\",\n  \"values\": []\n}")
    }

    static let awkward = ["quote\"d", "back\\slash", "new\nline", "tab\tand\rreturn", "bell\u{7}", "nul\u{0}",
                          "\u{1F}unit", "slash/ok", "caf\u{E9}", "\u{1F600}", "\u{2028}", "del\u{7F}", "\u{8}\u{C}"]

    @Test func stringsAreEscapedPerRFC8259() throws {
        for s in Self.awkward {
            var out: [UInt8] = []
            ServiceTagsJSONWriter.appendString(s, to: &out)
            let back = try JSONSerialization.jsonObject(with: Data(out), options: .fragmentsAllowed) as? String
            #expect(back == s, "\(s.debugDescription) wrote \(String(decoding: out, as: UTF8.self))")
            #expect(!out.dropFirst().dropLast().contains { $0 < 0x20 }, "no raw control characters")
        }
        var out: [UInt8] = []
        ServiceTagsJSONWriter.appendString("a\"b\\c\n\u{1}", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""a\"b\\c\n\u0001""#)
        let tags = Self.awkward.map { ServiceTag(name: $0, id: $0, region: $0, platform: $0, systemService: $0, networkFeatures: [$0]) }
        let file = ServiceTagsFile(changeNumber: 2, cloud: "c\"l", tags: tags)
        #expect(JSONSerializationServiceTags.same(try JSONSerializationServiceTags.read(ServiceTagsJSONWriter().bytes(of: file)), file))
    }

    /// Reading a real file independently and writing it back gives the same bytes: the layout is the
    /// real one, and so is every prefix's text form. Skipped when the real files are absent.
    @Test(.realData("ServiceTags_Public_20251028.json", "ServiceTags_AzureGovernment_20260720.json", "ServiceTags_Public_20190722.json"),
          .tags(.realData), arguments: [("ServiceTags_Public_20251028.json", true), ("ServiceTags_AzureGovernment_20260720.json", true),
                      ("ServiceTags_Public_20190722.json", false)])
    func writerReproducesRealFilesByteForByte(_ name: String, _ currentSchema: Bool) throws {
        let path = try #require(FixturePaths.realFile(name))
        let bytes = try JSONSerializationServiceTags.readFile(path)
        let file = try JSONSerializationServiceTags.read(bytes)
        let written = ServiceTagsJSONWriter(layout: currentSchema ? .current : .omittingNils).bytes(of: file)
        let firstDifference = zip(written, bytes).enumerated().first { $1.0 != $1.1 }?.offset ?? min(written.count, bytes.count)
        #expect(written == bytes, "first difference at byte \(firstDifference) of \(bytes.count)")
    }
}

import Foundation
import ServiceTags
import Testing

private let v4 = SetTesting.v4
private let v6 = SetTesting.v6

/// Every accepted form, one fixture each, with the expected tags written out by hand.
@Suite("Reader accepted fixtures")
struct ReaderFixtureTests {
    /// Parses the fixture in memory, through a file with 256 KiB reads and through
    /// `init(readingFileAt:)`; all three must agree.
    func read(_ name: String) throws -> ServiceTagsFile {
        let bytes = try ReaderTestSupport.fixture(name)
        let memory = try ServiceTagsFile(bytes: bytes, path: name)
        let file = try ServiceTagsFile(readingFileAt: ReaderTestSupport.fixturePath(name))
        #expect(file.tags == memory.tags)
        #expect(file.changeNumber == memory.changeNumber)
        #expect(file.cloud == memory.cloud)
        return memory
    }

    @Test func keysInAnyOrderWithHeaderAfterValues() throws {
        let f = try read("key-order.json")
        #expect(f.changeNumber == 42)
        #expect(f.cloud == "Public")
        #expect(f.tags == [
            ServiceTag(name: "Example.West", id: "Example.West", changeNumber: 3, region: "westexample", regionId: 7,
                       platform: "Azure", systemService: "ExampleService", networkFeatures: ["API", "NSG"],
                       ipv4: [v4("192.0.2.0/24")], ipv6: [v6("2001:db8::/32")]),
            ServiceTag(name: "Example", id: "Example", changeNumber: 1, region: "", regionId: 0, platform: "Azure",
                       systemService: "ExampleService", networkFeatures: [], ipv4: [v4("198.51.100.0/25")]),
        ])
    }

    @Test func unknownKeysOfEveryShapeAreSkipped() throws {
        let f = try read("unknown-keys.json")
        #expect(f.changeNumber == 5)
        #expect(f.cloud == "Public")
        #expect(f.tags == [
            ServiceTag(name: "Example", id: "Example", changeNumber: 2, region: "", regionId: 0, platform: "Azure",
                       systemService: "ExampleService", networkFeatures: ["API"], ipv4: [v4("203.0.113.0/24")]),
        ])
    }

    @Test func missingOptionalKeysLikeThe2019Schema() throws {
        let f = try read("missing-optional.json")
        #expect(f.changeNumber == 82)
        #expect(f.tags == [
            ServiceTag(name: "Example.Old", id: "Example.Old", changeNumber: 4, region: "", regionId: nil,
                       platform: "Azure", systemService: "ExampleOld", networkFeatures: nil,
                       ipv4: [v4("192.0.2.128/25")], ipv6: [v6("2001:db8:1::/48")]),
            ServiceTag(name: "Example.Bare"),
        ])
    }

    @Test func nullOptionalFieldsReadAsAbsent() throws {
        let f = try read("nulls.json")
        #expect(f.changeNumber == nil)
        #expect(f.cloud == "")
        #expect(f.tags == [ServiceTag(name: "Example.Nulls", ipv4: [v4("198.51.100.7/32")])])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let f = try read("bom.json")
        #expect(f.changeNumber == 9)
        #expect(f.tags == [ServiceTag(name: "Example.Bom", id: "Example.Bom", ipv4: [v4("192.0.2.0/26")])])
    }

    @Test func crlfLineEnds() throws {
        let f = try read("crlf.json")
        #expect(f.changeNumber == 11)
        #expect(f.tags == [
            ServiceTag(name: "Example.Crlf", id: "Example.Crlf", changeNumber: 1, region: "eastexample", regionId: 3,
                       platform: "Azure", systemService: "ExampleCrlf", networkFeatures: ["API", "NSG", "UDR", "FW"],
                       ipv4: [v4("203.0.113.64/26")], ipv6: [v6("2001:db8:ffff::/64")]),
        ])
    }

    @Test func escapesSurrogatePairsAndEscapedPrefixes() throws {
        let f = try read("escapes.json")
        #expect(f.cloud == "Public")
        #expect(f.changeNumber == 1)
        #expect(f.tags == [
            ServiceTag(name: "Example.Esc\u{E9}\u{1F600}", id: "tab\there \"quoted\" back\\slash / \u{8}\u{C}\n\r",
                       region: "caf\u{E9}", platform: "Azure", systemService: "Example\u{0}Nul", networkFeatures: ["API"],
                       ipv4: [v4("192.0.2.0/24"), v4("198.51.100.0/24")], ipv6: [v6("2001:db8::/32")]),
        ])
    }

    @Test func discoveryAPIShapeWithStringChangeNumbers() throws {
        let f = try read("discovery-api.json")
        #expect(f.changeNumber == 63)
        #expect(f.cloud == "Public")
        #expect(f.tags == [
            ServiceTag(name: "Example.SouthExample", id: "Example.SouthExample", changeNumber: 2, region: "southexample",
                       regionId: nil, platform: "", systemService: "ExampleService",
                       networkFeatures: ["API", "NSG", "UDR", "FW"],
                       ipv4: [v4("198.51.100.64/27")], ipv6: [v6("2001:db8:4:402::140/124")]),
        ])
    }

    @Test func emptyValues() throws {
        let f = try read("empty-values.json")
        #expect(f.changeNumber == 1)
        #expect(f.cloud == "Public")
        #expect(f.tags.isEmpty)
    }

    /// `next(into:)` overwrites every field: a bare entry after a full one must not inherit anything.
    @Test(arguments: ["key-order.json", "unknown-keys.json", "missing-optional.json", "nulls.json", "bom.json",
                      "crlf.json", "escapes.json", "discovery-api.json", "empty-values.json"])
    func nextIntoAReusedTagMatchesNext(_ name: String) throws {
        let bytes = try ReaderTestSupport.fixture(name)
        let expected = try ServiceTagsFile(bytes: bytes, path: name).tags
        var reader = ServiceTagsReader(bytes: bytes, path: name)
        var tag = ServiceTag(name: "stale", id: "stale", changeNumber: 9, region: "stale", regionId: 9, platform: "stale",
                             systemService: "stale", networkFeatures: ["stale"], ipv4: [v4("10.0.0.0/8")],
                             ipv6: [v6("2001:db8::/32")])
        var seen: [ServiceTag] = []
        while try reader.next(into: &tag) { seen.append(tag) }
        #expect(seen == expected)
    }

    @Test func nextIntoResetsFieldsAbsentFromTheNextEntry() throws {
        let text = #"{"values": [{"name": "Full", "id": "Full", "properties": {"changeNumber": 1, "region": "r", "#
            + #""regionId": 2, "platform": "p", "systemService": "s", "addressPrefixes": ["192.0.2.0/24", "2001:db8::/32"], "#
            + #""networkFeatures": ["API"]}}, {"name": "Bare", "properties": {"addressPrefixes": []}}]}"#
        var reader = ServiceTagsReader(bytes: Array(text.utf8), path: "t")
        var tag = ServiceTag(name: "")
        #expect(try reader.next(into: &tag))
        #expect(tag == ServiceTag(name: "Full", id: "Full", changeNumber: 1, region: "r", regionId: 2, platform: "p",
                                  systemService: "s", networkFeatures: ["API"], ipv4: [v4("192.0.2.0/24")],
                                  ipv6: [v6("2001:db8::/32")]))
        #expect(try reader.next(into: &tag))
        #expect(tag == ServiceTag(name: "Bare"))
        #expect(try !reader.next(into: &tag))
    }

    @Test func streamingReaderHasTheHeaderOnlyAtTheEnd() throws {
        let bytes = try ReaderTestSupport.fixture("key-order.json")
        var reader = ServiceTagsReader(bytes: bytes, path: "key-order.json")
        #expect(try reader.next()?.name == "Example.West")
        #expect(reader.cloud == nil)  // `cloud` follows `values` in this file
        #expect(try reader.next()?.name == "Example")
        #expect(try reader.next() == nil)
        #expect(reader.cloud == "Public")
        #expect(reader.changeNumber == 42)
        #expect(try reader.next() == nil)
    }
}

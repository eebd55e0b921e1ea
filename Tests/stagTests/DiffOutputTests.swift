import Foundation
import ServiceTags
@testable import stag
import Testing

/// The diff report writers, in process, on diffs of files built in code: these need no reader.
/// JSON is checked with Foundation's `JSONSerialization` as an independent parser.
@Suite struct DiffOutputTests {
    static func tag(_ name: String, _ changeNumber: Int?, _ prefixes: [String], region: String = "") -> ServiceTag {
        var t = ServiceTag(name: name, id: name, changeNumber: changeNumber, region: region, networkFeatures: ["API"])
        for text in prefixes {
            switch try! IPPrefix(parsing: text) {
            case .v4(let p): t.ipv4.append(p)
            case .v6(let p): t.ipv6.append(p)
            }
        }
        return t
    }

    static let old = ServiceTagsFile(changeNumber: 7, cloud: "Public", tags: [
        tag("Odd \"name\"\t|`x`", 1, ["192.0.2.0/24"]),
        tag("Split", 4, ["198.51.100.0/24"]),
        tag("Gone", 2, ["2001:db8::/32"]),
        tag("Meta", 9, ["203.0.113.0/24"], region: "eastus"),
    ])
    static let new = ServiceTagsFile(changeNumber: nil, cloud: "Public", tags: [
        tag("Odd \"name\"\t|`x`", 2, ["192.0.2.0/25", "2001:db8:ffff::/48", "10.0.0.0/8"]),
        tag("Split", 5, ["198.51.100.128/25", "198.51.100.0/25"]),
        tag("Meta", 10, ["203.0.113.0/24"], region: "eastus2"),
        tag("New", nil, []),
    ])
    static let context = DiffOutput.Context(oldFile: "old \"file\".json", newFile: "<stdin>")

    static func json(_ mode: ServiceTagsDiff.Mode) throws -> [String: Any] {
        let diff = ServiceTagsDiff(old: old, new: new, mode: mode)
        let bytes = DiffOutput.json(diff, context: context)
        #expect(bytes.last == 0x0A && bytes.dropLast().allSatisfy { $0 != 0x0A }, "one line")
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func exactJSONEscapesNamesAndCarriesEveryField() throws {
        let root = try Self.json(.exact)
        #expect(root.keys.sorted() == ["anomalies", "new", "old", "semantic", "summary", "tags"])
        #expect((root["old"] as? [String: Any])?["file"] as? String == "old \"file\".json")
        #expect((root["new"] as? [String: Any])?["changeNumber"] is NSNull)
        #expect(DiffCLI.tagAndPrefixCounts(root["summary"])
                == ["tagsAdded": 1, "tagsRemoved": 1, "tagsChanged": 3, "prefixesAdded": 5, "prefixesRemoved": 3])
        let tags = try #require(root["tags"] as? [[String: Any]])
        #expect(tags.map { $0["name"] as? String } == ["Gone", "Meta", "New", "Odd \"name\"\t|`x`", "Split"])
        let odd = tags[3]
        #expect(odd["added"] as? [String] == ["10.0.0.0/8", "192.0.2.0/25", "2001:db8:ffff::/48"])
        #expect(odd["removed"] as? [String] == ["192.0.2.0/24"])
        #expect(odd["changeNumber"] as? [Int] == [1, 2])
        let meta = try #require(tags[1]["metadata"] as? [String: [String]])
        #expect(meta == ["region": ["eastus", "eastus2"]])
        let new = tags[2]
        #expect(new["status"] as? String == "added" && (new["changeNumber"] as? [Any])?.allSatisfy { $0 is NSNull } == true)
        #expect(new["added"] as? [String] == [] && (new["metadata"] as? [String: Any])?.isEmpty == true)
    }

    @Test func semanticJSONLeavesOutReexpressedAndMetadataOnlyTags() throws {
        let root = try Self.json(.addressSpace)
        #expect(root["semantic"] as? Bool == true)
        let tags = try #require(root["tags"] as? [[String: Any]])
        #expect(tags.map { $0["name"] as? String } == ["Gone", "New", "Odd \"name\"\t|`x`"])
        #expect((DiffCLI.tagAndPrefixCounts(root["summary"]))?["tagsReexpressed"] == 1)
        #expect(tags[2]["removed"] as? [String] == ["192.0.2.128/25"])
    }

    @Test func textStartsWithASummaryThenOneBlockPerTag() {
        let diff = ServiceTagsDiff(old: Self.old, new: Self.new, mode: .addressSpace)
        let text = String(decoding: DiffOutput.text(diff, context: Self.context), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("OLD  old \"file\".json") && lines[1].hasPrefix("NEW  <stdin>"))
        #expect(lines[2] == "Address-space diff: 1 tag changed, 1 added, 1 removed; 2 prefixes added, 2 removed (minimal CIDR covers).")
        #expect(lines.contains("Split: re-expressed, no coverage change (changeNumber 4 -> 5)"))
        #expect(lines.contains("1 tag with only metadata or changeNumber changes (not address space; run without --semantic to see them)."))
        #expect(!lines.contains { $0.hasPrefix("Meta:") })
        #expect(lines.contains("  - 192.0.2.128/25") && lines.contains("  + 2001:db8:ffff::/48"))
        // Data text is shown escaped (HumanText): the TAB as `\t`.
        #expect(lines.contains("Odd \"name\"\\t|`x`: changed (changeNumber 1 -> 2; +2 -1)"))
    }

    @Test func textSaysWhyAnEmptyDiffWithANewTopLevelNumberExitsZero() {
        var renumbered = Self.old
        renumbered.changeNumber = 8
        let diff = ServiceTagsDiff(old: Self.old, new: renumbered)
        let text = String(decoding: DiffOutput.text(diff, context: Self.context), as: UTF8.self)
        #expect(text.contains("No differences.\nThe top-level changeNumber changed (7 -> 8); that alone is not a difference.\n"))
    }

    @Test func markdownHasASummaryTableAndEscapesCells() {
        let diff = ServiceTagsDiff(old: Self.old, new: Self.new)
        let md = String(decoding: DiffOutput.markdown(diff, context: Self.context), as: UTF8.self)
        #expect(md.contains("| Tags added | Tags removed | Tags changed | Prefixes added | Prefixes removed |\n|---:|---:|---:|---:|---:|\n| 1 | 1 | 3 | 5 | 3 |"))
        // A pipe inside a cell is escaped; a backtick inside inline code needs a longer fence.
        #expect(md.contains("| `` Odd \"name\"\\t\\|`x` `` | changed | 1 → 2 | 3 | 1 |"))
        #expect(md.contains("| `New` | added | — → (absent) | 0 | 0 |"))
        #expect(md.contains("| `Gone` | removed | 2 → — | 0 | 1 |"))
        #expect(md.contains("- region: `\"eastus\"` → `\"eastus2\"`"))
        #expect(md.contains("Added (3):\n\n```\n10.0.0.0/8\n192.0.2.0/25\n2001:db8:ffff::/48\n```"))
    }

    @Test func deltaFormatsAreTheExportFormatsWithAnIncrementalSyntax() throws {
        #expect(DiffOutput.deltaFormats == ["nft", "ipset", "powershell", "fortigate", "cisco-ios", "cisco-asa", "juniper", "mikrotik",
                                            "aws-prefix-list", "iptables", "ip6tables"])
        #expect(try DiffOutput.format(named: "markdown") == .markdown)
        #expect(try DiffOutput.format(named: "nft") == .delta("nft"))
        #expect(try DiffOutput.format(named: "aws-prefix-list") == .delta("aws-prefix-list"))
        // json is the diff report, not the export format of the same name.
        #expect(try DiffOutput.format(named: "json") == .json)
        for id in ["txt", "csv", "azure-ipgroup", "paloalto-edl", "terraform"] {
            do {
                _ = try DiffOutput.format(named: id)
                Issue.record("\(id) has no delta and must be refused")
            } catch {
                #expect(error.exitCode == 2)
                #expect(error.message.contains("\(id) has no incremental syntax"), "\(error.message)")
                #expect(error.message.contains("delta formats: nft, ipset, powershell, fortigate, cisco-ios, cisco-asa, juniper, mikrotik, aws-prefix-list, iptables, ip6tables"))
            }
        }
        do {
            _ = try DiffOutput.format(named: "nftables")
            Issue.record("an unknown format must be refused")
        } catch {
            #expect(error.message.contains("unknown format 'nftables' (expected text, json, markdown, nft, ipset,"), "\(error.message)")
        }
    }
}

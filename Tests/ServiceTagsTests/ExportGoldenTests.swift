import Foundation
@testable import ServiceTags
import Testing

/// Each format's output for the README's small input, byte for byte against hand-written files.
@Suite struct ExportGoldenTests {
    static let formats = ExportFormats.all.map(\.id)
    static let deltaFormats = ExportFormats.all.filter(\.traits.supportsDelta).map(\.id)

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: ExportFixtures.directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The first differing line, so a failure reads as a diff rather than two walls of text.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, e.count) where (i < a.count ? a[i] : nil) != (i < e.count ? e[i] : nil) {
            return "line \(i + 1):\n  got      \(i < a.count ? String(a[i]) : "<end>")\n  expected \(i < e.count ? String(e[i]) : "<end>")"
        }
        return "identical"
    }

    @Test(arguments: formats)
    func fullListMatchesTheHandWrittenFile(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        let result = try Exporter.export(ExportFixtures.list(ExportFixtures.newFile), as: format)
        let actual = ExportFixtures.text(result)
        let expected = try Self.golden("\(id).golden")
        #expect(actual == expected, "\(id): \(Self.firstDifference(actual, expected))")
    }

    @Test(arguments: deltaFormats)
    func deltaMatchesTheHandWrittenFile(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        let result = try Exporter.exportDelta(from: ExportFixtures.list(ExportFixtures.oldFile), to: ExportFixtures.list(ExportFixtures.newFile),
                                              as: format)
        let actual = ExportFixtures.text(result)
        let expected = try Self.golden("\(id).delta.golden")
        #expect(actual == expected, "\(id) delta: \(Self.firstDifference(actual, expected))")
    }

    /// Rule options per rule-writing format, for `FORMAT.rule.golden` (written by hand from MS Learn
    /// New-/Set-NetFirewallRule, nft(8) and iptables-extensions(8)).
    static let ruleCases: [String: (name: String?, values: [FirewallRule.Option: String])] = [
        // Microsoft's Azure Local example: stag export AzureResourceManager --format powershell
        //   --protocol tcp --port 443 --name "Allow Azure Resource Manager"
        "powershell": ("Allow Azure Resource Manager", [.transport: "tcp", .port: "443"]),
        "nft": (nil, [.transport: "tcp", .port: "1433,443"]),
        "iptables": (nil, [.direction: "inbound", .transport: "udp", .port: "5000-5100,53", .action: "block"]),
    ]

    @Test(arguments: ruleCases.keys.sorted())
    func rulesMatchTheHandWrittenFile(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        let (name, values) = try #require(Self.ruleCases[id])
        let options = ExportOptions(name: name, rule: try FirewallRule(parsing: values))
        let actual = ExportFixtures.text(try Exporter.export(ExportFixtures.list(ExportFixtures.newFile), as: format, options: options))
        let expected = try Self.golden("\(id).rule.golden")
        #expect(actual == expected, "\(id) rule: \(Self.firstDifference(actual, expected))")
    }

    @Test func everyFormatHasAGoldenFileAndEveryDeltaFormatADeltaFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ExportFixtures.directory.path).filter { $0.hasSuffix(".golden") }
        let expected = Self.formats.map { "\($0).golden" } + Self.deltaFormats.map { "\($0).delta.golden" } + Self.ruleCases.keys.map { "\($0).rule.golden" }
        #expect(Set(files) == Set(expected))
        #expect(Self.deltaFormats.sorted() == ["aws-prefix-list", "cisco-asa", "cisco-ios", "fortigate", "ip6tables", "ipset", "iptables", "juniper",
                                               "mikrotik", "nft", "powershell"])
    }

    @Test func azureIPGroupWarnsAboutTheIPv6ItLeavesOut() throws {
        let format = try #require(ExportFormats.named("azure-ipgroup"))
        let result = try Exporter.export(ExportFixtures.list(ExportFixtures.newFile), as: format)
        #expect(result.warnings.count == 1 && result.warnings[0].contains("2 IPv6 prefixes left out"))
        let v4only = ExportSelection(include: [TagPattern(ExportFixtures.tagName)], families: .ipv4)
        #expect(try Exporter.export(ExportFixtures.list(ExportFixtures.newFile, v4only), as: format).warnings.isEmpty)
    }
}

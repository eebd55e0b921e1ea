import Foundation
@testable import ExportTargetModels
@testable import ServiceTags
import Testing

/// Regression suite for issue 8 items 1 and 8: data text must never leave its comment or start a
/// line, every line must fit the target's reader, and PowerShell names must not be wildcards.
/// Do not clean up: each case was a working attack.
@Suite struct ExportInjectionTests {
    /// 'A' * 1001 + 'destroy': allowed characters only, but its comment line was 1,030 bytes and
    /// `ipset restore` ran the tail as a command, destroying another set.
    static let attack = String(repeating: "A", count: 1001) + "destroy"

    static func list(_ tags: [String]) -> ExportList {
        ExportList(tags: tags, v4: [SetTesting.v4("192.0.2.0/24")], v6: [SetTesting.v6("2001:db8::/48")], changeNumber: 7)
    }

    static func lines(_ r: ExportResult) -> [Substring] { ExportFixtures.text(r).split(separator: "\n", omittingEmptySubsequences: false) }

    /// Every script format, full and delta: lines within the limit, and every line holding the tail
    /// of the long name is a comment line.
    @Test(arguments: ExportFormats.all.filter { $0.traits.writesScript }.map(\.id))
    func longTagNamesNeverStartALineOrOverflowIt(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        let tags = [Self.attack, "Short.Tag", String(repeating: "B", count: 3000) + "flush"]
        let old = Self.list(tags), new = ExportList(tags: tags, v4: [SetTesting.v4("198.51.100.0/24")], v6: [], changeNumber: 8)
        var outputs = [try Exporter.export(new, as: format)]
        if format.traits.supportsDelta { outputs.append(try Exporter.exportDelta(from: old, to: new, as: format)) }
        let marker = id.hasPrefix("cisco") ? "!" : "#"
        for out in outputs {
            for line in Self.lines(out) {
                if let limit = format.traits.lineLimit { #expect(line.utf8.count <= limit, "\(id): line of \(line.utf8.count) bytes") }
                if line.contains("Adestroy") || line.contains("Bflush") {
                    #expect(line.hasPrefix(marker) || id == "fortigate" && line.contains("set comment \""), "\(id): data text outside a comment: \(line.prefix(60))")
                }
            }
        }
    }

    @Test func ipsetLinesStayWithinWhatIpsetRestoreReads() throws {
        let out = try Exporter.export(Self.list([Self.attack]), as: IpsetFormat())
        #expect(Self.lines(out).allSatisfy { $0.utf8.count <= 1_022 })
    }

    @Test func aLineOverTheLimitIsRefusedNotWritten() {
        #expect(throws: ExportError.lineTooLong(format: "ipset", line: 2, length: 1_023, limit: 1_022)) {
            try Exporter.checkLines(Array(("ok\n" + String(repeating: "x", count: 1_023) + "\n").utf8), of: IpsetFormat())
        }
    }

    /// Loaded for real: a victim set must survive the attack file.
    @Test(.enabled(if: KernelSets.available("ipset", for: "ExportInjectionTests")))
    func ipsetRestoreOfTheAttackKeepsOtherSets() throws {
        let text = ExportFixtures.text(try Exporter.export(Self.list([Self.attack]), as: IpsetFormat()))
        let run = try KernelSets.shell("unshare -n sh -c 'ipset create victim hash:net && ipset restore -f attack; ipset list -n'", files: ["attack": text])
        #expect(run.stdout.split(separator: "\n").contains("victim"), "victim set gone: \(run.stdout) \(run.stderr)")
    }

    @Test(arguments: ["corp*", "corp?", "corp[1]", "a`b", "*"])
    func powershellRefusesWildcardNames(_ name: String) {
        #expect(throws: ExportError.self) { try Exporter.checkName(name, for: PowerShellFormat()) }
        #expect(throws: ExportError.self) { try Exporter.export(Self.list(["AzureCloud"]), as: PowerShellFormat(), options: ExportOptions(name: name)) }
    }

    @Test func powershellStillTakesOrdinaryNames() throws {
        try Exporter.checkName("Allow Azure Resource Manager", for: PowerShellFormat())
    }

    @Test func commentWrappingCutsNamesLongerThanALine() {
        var out = ExportText()
        ExportComments.names("Azure service tags: ", [Self.attack, "X"], marker: "# ", to: &out)
        let lines = String(decoding: out.bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count > 10 && lines.allSatisfy { $0.hasPrefix("# ") && $0.utf8.count <= ExportComments.width })
        #expect(lines.map { $0.dropFirst(2).trimmingCharacters(in: .whitespaces) }.joined().replacingOccurrences(of: "Azureservicetags:", with: "")
                    .replacingOccurrences(of: "Azure service tags:", with: "").contains(Self.attack))
    }
}

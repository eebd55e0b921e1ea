import Foundation
import Testing

/// `stag export` and `stag diff --format` with the rule options, end to end (issue 10, part 1).
@Suite struct ExportRulesCLITests {
    static func stag(_ arguments: [String]) throws -> StagCLI.Result { try StagCLI.run(arguments) }

    /// Refused before any data is read, exit 2, with a message that names the fix.
    @Test(arguments: [
        (["A", "--port", "443"], "--port: format 'txt' writes no rules; use nft, powershell, iptables or ip6tables"),
        (["A", "--format", "csv", "--direction", "inbound"], "--direction: format 'csv' writes no rules"),
        (["A", "--format", "nft", "--profile", "public"], "--profile: format 'nft' has no such rule setting; only powershell takes --profile"),
        (["A", "--format", "powershell", "--chain", "c"], "--chain: format 'powershell' has no such rule setting"),
        (["A", "--format", "nft", "--port", "443"], "--port needs --protocol tcp or udp"),
        (["A", "--format", "nft", "--protocol", "icmp", "--port", "443"], "--port needs --protocol tcp or udp (the protocol is icmp)"),
        (["A", "--format", "nft", "--protocol", "tcp", "--port", "0"], "--port: '0' is not valid: a port is a number from 1 to 65535"),
        (["A", "--format", "nft", "--protocol", "tcp", "--port", "443-80"], "--port: '443-80' is not valid: the range's first port is above its last"),
        (["A", "--format", "powershell", "--protocol", "sctp"], "--protocol: 'sctp' is not one of any, tcp, udp, icmp"),
        (["A", "--format", "iptables", "--chain", String(repeating: "c", count: 29)], "is not valid for iptables chain"),
        (["A", "--format", "nft", "--action", "deny"], "--action: 'deny' is not one of allow, block"),
    ])
    func badRuleOptionsExitTwoBeforeReadingData(_ arguments: [String], _ message: String) throws {
        let run = try Self.stag(["export"] + arguments + ["--data", "/nonexistent/ServiceTags.json"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("stag: export: ") && run.stderr.contains(message), "stderr: \(run.stderr)")
    }

    @Test func diffRefusesRuleOptionsWithoutADeltaFormatAndForFormatsWithoutRules() throws {
        let dir = try ExportCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try ExportCLITests.sampleData(in: dir)
        let report = try Self.stag(["diff", data, data, "--port", "443"])
        #expect(report.status == 2 && report.stderr.contains("--port applies only with a delta --format"), "\(report.stderr)")
        let mikrotik = try Self.stag(["diff", data, data, "--format", "mikrotik", "--protocol", "tcp"])
        #expect(mikrotik.status == 2 && mikrotik.stderr.contains("stag: diff: --protocol: format 'mikrotik' writes no rules"), "\(mikrotik.stderr)")
        let nft = try Self.stag(["diff", data, data, "--format", "nft", "--protocol", "tcp", "--port", "443"])
        #expect(nft.status == 0 && nft.stdout.isEmpty, "\(nft.stderr)")
    }

    /// The guidance's example: remote port 443 on the outbound rule, on New- and Set-NetFirewallRule.
    @Test func powerShellWritesTheWholeRuleOnNewAndSet() throws {
        let dir = try ExportCLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try ExportCLITests.sampleData(in: dir)
        let run = try Self.stag(["export", "AzureCloud.westeurope", "--data", data, "--format", "powershell", "--protocol", "tcp", "--port", "443",
                                 "--name", "Allow Azure Resource Manager"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("New-NetFirewallRule -Name $name -DisplayName $name -Group $group -Direction Outbound -Protocol TCP -RemotePort 443 -Action Allow -Profile Any -Enabled True -RemoteAddress $rules[$name]"))
        #expect(run.stdout.contains("Set-NetFirewallRule -Name $name -Direction Outbound -Protocol TCP -LocalPort Any -RemotePort 443 -Action Allow -Profile Any -Enabled True -RemoteAddress $rules[$name]"))
        #expect(run.stdout.contains("# Outbound rules match -RemotePort"))
        #expect(!run.stdout.split(separator: "\n").contains { !$0.hasPrefix("#") && $0.contains("-LocalPort 443") })
    }

    @Test func helpDescribesRulesAndWhichDeltasAreSafeToRerun() throws {
        let run = try Self.stag(["export", "--help"])
        for text in ["\n  iptables ", "\n  ip6tables ", "--direction DIR", "--port LIST", "--profile PROFILE", "--chain NAME",
                     "safe to rerun for nft", "Not safe to rerun: aws-prefix-list"] {
            #expect(run.stdout.contains(text), "help lacks \(text)")
        }
        let diff = try Self.stag(["diff", "--help"])
        #expect(diff.stdout.contains("--port LIST") && diff.stdout.contains("iptables, ip6tables"))
    }
}

@testable import ExportTargetModels
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Loading twice is harmless (issue 10, part 2): on the target models, for every format whose
/// syntax allows it, a full list loaded again, a delta applied twice, or a delta applied on a
/// target that already holds the new lists, leaves exactly what the new full list loads, rules
/// included. (ExportRerunKernelTests checks nft, ipset and iptables in the kernel.)
@Suite struct ExportRerunTests {
    /// The delta formats that are safe to rerun (the others say so in `stag export --help`).
    static let rerunnable = ["nft", "ipset", "powershell", "iptables", "ip6tables"]

    /// Rule option sets a test draws from, valid for every rule-writing format but PowerShell's
    /// ICMP (which needs one family).
    static let rules: [[FirewallRule.Option: String]] = [
        [:], [.transport: "tcp", .port: "443"], [.direction: "inbound", .transport: "udp", .port: "53,5000-5100", .action: "block"],
        [.transport: "tcp"], [.action: "block"],
    ]

    static func options(_ id: String, _ rng: inout SplitMix64) throws -> ExportOptions {
        let limits: [Int?] = [nil, 4, 16]
        var options = ExportOptions(maxEntries: limits[Int.random(in: 0..<3, using: &rng)])
        let values = rules[Int.random(in: 0..<rules.count, using: &rng)]
        if id != "ipset" && !values.isEmpty { options.rule = try FirewallRule(parsing: values) }
        return options
    }

    /// Everything a model holds: objects, and rules where the model keeps them.
    static func state(_ model: any TargetModel) -> String {
        var parts = ["\(model.objects.mapValues { $0.sorted { "\($0)" < "\($1)" } }.sorted { $0.key < $1.key })"]
        if let nft = model as? NftModel { parts.append("\(nft.chains.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })") }
        if let ps = model as? PowerShellModel {
            parts.append(ps.parameters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.sorted { $0.key < $1.key })" }.joined(separator: "; "))
        }
        if let ipt = model as? IptablesModel { parts.append("\(ipt.chains.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })") }
        return parts.joined(separator: "\n")
    }

    static func load(_ scripts: [[String]], into model: any TargetModel) throws {
        for group in scripts { for script in group { try model.run(script) } }
    }

    @Test(arguments: rerunnable)
    func deltasAppliedTwiceOrOnTheNewListsLeaveTheNewLists(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        var rng = SplitMix64(seed: 0x5EC0_4D &+ UInt64(id.utf8.count))
        for iteration in 0..<40 {
            let old = ExportDeltaTests.randomList(&rng)
            var new = ExportDeltaTests.evolve(old, &rng)
            if iteration % 5 == 0, let first = old.v4.first, first.length < 32 {
                // A prefix replaced by its two halves: old and new elements overlap.
                let half = Prefix(unchecked: first.address, length: Int(first.length) + 1)
                let other = Prefix(unchecked: IPv4Address(bits: first.address.bits | (UInt32(1) << UInt32(31 - Int(first.length)))), length: Int(first.length) + 1)
                new = ExportList(tags: new.tags, v4: new.v4.filter { $0 != first && !first.contains($0) } + [half, other], v6: new.v6, changeNumber: new.changeNumber)
            }
            let options = try Self.options(id, &rng)
            let full = (old: try ExportFixtures.fullScripts(format, old, options: options), new: try ExportFixtures.fullScripts(format, new, options: options))
            let delta = try ExportFixtures.deltaScripts(format, from: old, to: new, options: options)
            let fresh = TargetModels.model(for: id), twice = TargetModels.model(for: id), onNew = TargetModels.model(for: id)
            let label = "\(id) #\(iteration) (max \(options.maxEntries.map(String.init) ?? "-"), rule \(options.rule != nil))"
            do {
                try Self.load([full.new], into: fresh)
                try Self.load([full.old, delta, delta], into: twice)
                try Self.load([full.new, delta], into: onNew)
            } catch {
                Issue.record("\(label): \(error)")
                continue
            }
            #expect(Self.state(twice) == Self.state(fresh), "\(label): old + delta + delta differs from new")
            #expect(Self.state(onNew) == Self.state(fresh), "\(label): new + delta differs from new")
        }
    }

    @Test(arguments: ["nft", "ipset", "powershell", "iptables", "ip6tables"])
    func aFullListLoadedTwiceIsLoadedOnce(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        var rng = SplitMix64(seed: 0xF011 &+ UInt64(id.utf8.count))
        for _ in 0..<10 {
            let list = ExportDeltaTests.randomList(&rng)
            guard !list.isEmpty else { continue }
            let scripts = try ExportFixtures.fullScripts(format, list, options: try Self.options(id, &rng))
            let once = TargetModels.model(for: id), twice = TargetModels.model(for: id)
            try Self.load([scripts], into: once)
            try Self.load([scripts, scripts], into: twice)
            #expect(Self.state(once) == Self.state(twice), "\(id)")
        }
    }

    /// Rerunning the PowerShell script with other rule options updates the existing rules in place
    /// (`Set-NetFirewallRule` with every parameter), so the machine converges on the last options.
    @Test func powerShellConvergesOnTheLastRuleOptions() throws {
        let list = try ExportFixtures.list(ExportFixtures.newFile)
        let model = PowerShellModel()
        let name = ExportFixtures.tagName
        var last: [String: String] = [:]
        for values in Self.rules + [[.direction: "inbound", .transport: "tcp", .port: "443", .profile: "private"], [:]] {
            let options = ExportOptions(rule: values.isEmpty ? nil : try FirewallRule(parsing: values))
            try model.run(ExportFixtures.text(try Exporter.export(list, as: PowerShellFormat(), options: options)))
            let fresh = PowerShellModel()
            try fresh.run(ExportFixtures.text(try Exporter.export(list, as: PowerShellFormat(), options: options)))
            #expect(model.parameters == fresh.parameters, "\(values)")
            last = try #require(model.parameters[name])
        }
        #expect(last == ["Direction": "Outbound", "Protocol": "Any", "Action": "Allow", "Profile": "Any", "Enabled": "True"])
    }

    /// The guidance's example: the rule is outbound TCP to remote port 443, never local port 443;
    /// inbound rules use the local port.
    @Test func powerShellPortsAreRemoteOutboundAndLocalInbound() throws {
        let list = try ExportFixtures.list(ExportFixtures.newFile)
        for (direction, remote, local) in [("outbound", "443", "Any"), ("inbound", "Any", "443")] {
            let rule = try FirewallRule(parsing: [.direction: direction, .transport: "tcp", .port: "443"])
            for _ in 0..<2 {  // created, then set in place
                let model = PowerShellModel()
                try model.run(ExportFixtures.text(try Exporter.export(list, as: PowerShellFormat(), options: ExportOptions(name: "Allow ARM", rule: rule))))
                let p = try #require(model.parameters["Allow ARM"])
                #expect(p["RemotePort"] == remote && p["LocalPort"] == local && p["Protocol"] == "TCP", "\(direction): \(p)")
            }
        }
    }
}

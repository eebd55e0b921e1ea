import Foundation
@testable import ExportTargetModels
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Rules and reruns in the kernel, each scenario in a throwaway network namespace: nft chains
/// with their rules, iptables-restore files over the ipset sets, and deltas applied twice or on
/// top of the new lists (old + delta + delta = new, new + delta = new), read back with
/// `nft -j list table`, `ipset save` and `iptables -S`. Skipped with a notice where the tools, the
/// kernel or the privileges are missing.
@Suite(.serialized) struct ExportRerunKernelTests {
    static let nftRead = "nft -j list table inet azst"

    /// The rules of `nft -j` output as chain -> sorted rule expressions (handles left out).
    static func nftRules(_ json: String) throws -> [String: [String]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var out: [String: [String]] = [:]
        for item in root["nftables"] as? [[String: Any]] ?? [] {
            guard let rule = item["rule"] as? [String: Any], let chain = rule["chain"] as? String, let expr = rule["expr"] else { continue }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: expr, options: [.sortedKeys]), as: UTF8.self)
            out[chain, default: []].append(text)
        }
        return out.mapValues { $0.sorted() }
    }

    /// A pair of lists whose delta removes, adds, and (on `split`) replaces a prefix by its halves.
    static func pair(_ rng: inout SplitMix64, split: Bool) -> (ExportList, ExportList) {
        let old = ExportList(tags: ["Rerun.Tag"], v4: ExportFixtures.randomPrefixes(300, in: ExportRoundTripTests.v4Blocks, using: &rng),
                             v6: ExportFixtures.randomPrefixes(200, in: ExportRoundTripTests.v6Blocks, using: &rng), changeNumber: 1)
        var new = ExportDeltaTests.evolve(old, &rng)
        if split {
            // 10.9.0.0/23 in old, its two /24s in new: an element and its replacements overlap.
            let whole = SetTesting.v4("10.9.0.0/23"), halves = ["10.9.0.0/24", "10.9.1.0/24"].map(SetTesting.v4)
            return (ExportList(tags: old.tags, v4: old.v4 + [whole], v6: old.v6, changeNumber: 1),
                    ExportList(tags: new.tags, v4: new.v4 + halves, v6: new.v6, changeNumber: 2))
        }
        new.changeNumber = 2
        return (old, new)
    }

    @Test(.kernelTools, arguments: ["nft", "ipset"])
    func deltasAppliedTwiceOrOnTheNewListsLeaveTheNewLists(_ tool: String) throws {
        let format = try #require(ExportFormats.named(tool))
        var rng = SplitMix64(seed: 0x2E2E + UInt64(tool.count))
        let read = KernelSets.commands(tool).read
        for round in 0..<6 {
            let (old, new) = Self.pair(&rng, split: round % 2 == 1)
            var options = ExportOptions(maxEntries: round >= 4 ? 64 : nil)
            if tool == "nft" && round % 3 != 0 { options.rule = try FirewallRule(parsing: [.transport: "tcp", .port: "443,5000-5100"]) }
            let oldFull = ExportFixtures.text(try Exporter.export(old, as: format, options: options))
            let newFull = ExportFixtures.text(try Exporter.export(new, as: format, options: options))
            let delta = ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: format, options: options))
            let label = "\(tool) round \(round)"
            let fresh = try KernelSets.run([KernelSets.step(tool, newFull)], read: read, label: label)
            for (name, steps) in [("old + delta + delta", [oldFull, delta, delta]), ("new + delta", [newFull, delta]), ("new + new", [newFull, newFull])] {
                let got = try KernelSets.run(steps.map { KernelSets.step(tool, $0) }, read: read, label: "\(label) \(name)")
                #expect(try KernelSets.sets(tool, got) == KernelSets.sets(tool, fresh), "\(label): \(name) differs from new")
                if tool == "nft" { #expect(try Self.nftRules(got) == Self.nftRules(fresh), "\(label): \(name) rules differ") }
            }
            if options.rule != nil {
                let rules = try Self.nftRules(fresh)
                #expect(rules["Rerun.Tag_out"]?.count == Set(try KernelSets.nftSets(fresh).keys).count, "\(label): one rule per set: \(rules)")
            }
        }
    }

    /// The example as nft: a union of two tags under one name, TCP 443 and 1433, in a chain
    /// on the output hook; and an inbound block in a chain on the input hook.
    @Test(.kernelTools)
    func nftChainsLoadWithTheirRules() throws {
        let list = try ExportFixtures.list(ExportFixtures.newFile)
        for (values, chain, hook, verdict) in [([FirewallRule.Option.transport: "tcp", .port: "443,1433"], "corp_out", "output", "accept"),
                                               ([.direction: "inbound", .transport: "icmp", .action: "block"], "corp_in", "input", "drop")] {
            let text = ExportFixtures.text(try Exporter.export(list, as: NftFormat(), options: ExportOptions(name: "corp", rule: try FirewallRule(parsing: values))))
            let json = try KernelSets.run([KernelSets.step("nft", text), KernelSets.step("nft", text)], read: Self.nftRead, label: "nft \(chain)")
            let rules = try Self.nftRules(json)
            #expect(rules[chain]?.count == 2, "\(chain): \(rules)")
            #expect(json.contains("\"hook\": \"\(hook)\"") || json.contains("\"hook\":\"\(hook)\""), "\(chain) hook")
            #expect(rules[chain]?.allSatisfy { $0.contains("\"\(verdict)\"") } == true, "\(chain): \(rules)")
            if values[.port] != nil { #expect(rules[chain]?.allSatisfy { $0.contains("443") && $0.contains("1433") } == true) }
        }
    }

    /// `ipset restore` of the ipset file, then `iptables-restore --noflush` of the rules, twice: the
    /// chain holds exactly one rule per set of its family, and other chains keep their rules.
    @Test(.iptablesTools, arguments: ["iptables", "ip6tables"])
    func iptablesRulesLoadOverTheIpsetSetsAndReloadWithoutDuplicates(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        var rng = SplitMix64(seed: 0x1B7 + UInt64(id.count))
        let restore = "\(id)-restore --noflush"
        for round in 0..<4 {
            let (old, new) = Self.pair(&rng, split: round == 1)
            // Chunks only where no chunk vanishes: ipset cannot destroy a set a rule uses (see
            // IptablesFormat), so the ipset delta of a vanished chunk fails while the rules stand.
            var options = ExportOptions(name: "fw", maxEntries: round == 2 ? 64 : nil)
            options.rule = try FirewallRule(parsing: round == 3 ? [.direction: "inbound", .action: "block"]
                                            : [.transport: "tcp", .port: (1...20).map { String(1000 + 2 * $0) }.joined(separator: ",")])
            let ipset = (old: ExportFixtures.text(try Exporter.export(old, as: IpsetFormat(), options: ExportOptions(name: "fw", maxEntries: options.maxEntries))),
                         new: ExportFixtures.text(try Exporter.export(new, as: IpsetFormat(), options: ExportOptions(name: "fw", maxEntries: options.maxEntries))))
            let ipsetDelta = ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: IpsetFormat(), options: ExportOptions(name: "fw", maxEntries: options.maxEntries)))
            let rules = (old: ExportFixtures.text(try Exporter.export(old, as: format, options: options)),
                         new: ExportFixtures.text(try Exporter.export(new, as: format, options: options)))
            let delta = ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: format, options: options))
            let chain = round == 3 ? "fw_in" : "fw_out"
            let read = "\(id) -S \(chain) && \(id) -S OUTPUT && ipset save"
            let label = "\(id) round \(round)"
            let pre = KernelSets.Step("\(id) -A OUTPUT -j ACCEPT && :", "")  // a user rule that must survive (`: FILE` ignores the file)
            let fresh = try KernelSets.run([pre, KernelSets.Step("ipset restore -f", ipset.new), KernelSets.Step(restore, rules.new)], read: read, label: label)
            let reloaded = try KernelSets.run([pre, KernelSets.Step("ipset restore -f", ipset.new), KernelSets.Step(restore, rules.new),
                                               KernelSets.Step("ipset restore -f", ipset.new), KernelSets.Step(restore, rules.new)], read: read, label: label)
            let twice = round == 2 ? "" : try KernelSets.run([pre, KernelSets.Step("ipset restore -f", ipset.old), KernelSets.Step(restore, rules.old),
                                            KernelSets.Step("ipset restore -f", ipsetDelta), KernelSets.Step(restore, delta),
                                            KernelSets.Step("ipset restore -f", ipsetDelta), KernelSets.Step(restore, delta)], read: read, label: label)
            let ruleLines = fresh.split(separator: "\n").filter { $0.hasPrefix("-A \(chain) ") }
            let sets = try Exporter.plan(new, for: format, options: options).objects.filter { $0.family == (id == "iptables" ? .ipv4 : .ipv6) }
            #expect(ruleLines.count == sets.count * (round == 3 ? 1 : 2), "\(label): \(ruleLines)")
            #expect(fresh.contains("-A OUTPUT -j ACCEPT"), "\(label): the user's rule is gone")
            for (name, got) in [("reloaded", reloaded), ("old + delta + delta", twice)] where name == "reloaded" || round != 2 {
                #expect(Self.rules(got, chain) == Self.rules(fresh, chain), "\(label): \(name) rules differ")
                #expect(try KernelSets.ipsetSets(got) == KernelSets.ipsetSets(fresh), "\(label): \(name) sets differ")
            }
        }
    }

    static func rules(_ listing: String, _ chain: String) -> [Substring] {
        listing.split(separator: "\n").filter { $0.hasPrefix("-A \(chain) ") || $0.hasPrefix("-A OUTPUT ") }
    }

    /// The nightly job on the real weekly pair: `AzureCloud.westeurope` and
    /// `Storage.WestEurope` as one set `corp`, TCP 443 and 1433. The week's delta applied twice,
    /// or on the new lists, leaves the new lists and rules, for nft, ipset and iptables.
    @Test(.kernelTools, .iptablesTools, .realData("ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json"), .tags(.realData))
    func theRealWeeksDeltaIsSafeToRerun() throws {
        guard let oldFile = ExportFixtures.realFile("ServiceTags_Public_20251013.json", for: "ExportRerunKernelTests"),
              let newFile = ExportFixtures.realFile("ServiceTags_Public_20251028.json", for: "ExportRerunKernelTests") else { return }
        let selection = ExportSelection(include: ["AzureCloud.westeurope", "Storage.WestEurope"].map(TagPattern.init))
        let old = try ExportList(oldFile, selecting: selection), new = try ExportList(newFile, selecting: selection)
        #expect(old.v4 != new.v4 || old.v6 != new.v6, "the real pair changes the selection")
        let rule = try FirewallRule(parsing: [.transport: "tcp", .port: "443,1433"])
        let ruled = ExportOptions(name: "corp", rule: rule), plain = ExportOptions(name: "corp")
        func files(_ format: any ExportFormat, _ options: ExportOptions) throws -> (old: String, new: String, delta: String) {
            (ExportFixtures.text(try Exporter.export(old, as: format, options: options)), ExportFixtures.text(try Exporter.export(new, as: format, options: options)),
             ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: format, options: options)))
        }
        let nft = try files(NftFormat(), ruled), ipset = try files(IpsetFormat(), plain), ipt = try files(IptablesFormat(family: .ipv4), ruled)
        let nftFresh = try KernelSets.run([KernelSets.step("nft", nft.new)], read: Self.nftRead, label: "nft")
        let ipsetRead = "iptables -S corp_out && ipset save"
        let iptFresh = try KernelSets.run([KernelSets.Step("ipset restore -f", ipset.new), KernelSets.Step("iptables-restore --noflush", ipt.new)],
                                          read: ipsetRead, label: "iptables")
        for (name, first) in [("old + delta + delta", true), ("new + delta", false)] {
            let n = try KernelSets.run((first ? [nft.old, nft.delta, nft.delta] : [nft.new, nft.delta]).map { KernelSets.step("nft", $0) },
                                       read: Self.nftRead, label: "nft \(name)")
            #expect(try KernelSets.nftSets(n) == KernelSets.nftSets(nftFresh), "nft \(name): sets differ")
            #expect(try Self.nftRules(n) == Self.nftRules(nftFresh), "nft \(name): rules differ")
            let pairs = first ? [(ipset.old, ipt.old), (ipset.delta, ipt.delta), (ipset.delta, ipt.delta)] : [(ipset.new, ipt.new), (ipset.delta, ipt.delta)]
            let i = try KernelSets.run(pairs.flatMap { [KernelSets.Step("ipset restore -f", $0.0), KernelSets.Step("iptables-restore --noflush", $0.1)] },
                                       read: ipsetRead, label: "iptables \(name)")
            #expect(try KernelSets.ipsetSets(i) == KernelSets.ipsetSets(iptFresh), "ipset \(name): sets differ")
            #expect(Self.rules(i, "corp_out") == Self.rules(iptFresh, "corp_out"), "iptables \(name): rules differ")
        }
        #expect(try Self.nftRules(nftFresh)["corp_out"]?.count == 2)
        #expect(Self.rules(iptFresh, "corp_out").count == 1)
    }
}

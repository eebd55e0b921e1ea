@testable import ExportTargetModels
@testable import ServiceTags
import Testing

/// `FirewallRule`: the rule options parsed and checked in one place, and refused by formats that
/// cannot write them.
@Suite struct FirewallRuleTests {
    static func rule(_ values: [FirewallRule.Option: String]) throws(FirewallRuleError) -> FirewallRule { try FirewallRule(parsing: values) }

    @Test(arguments: [
        ("443", [443...443]),
        ("80,443", [80...80, 443...443]),
        ("5000-5100", [5000...5100]),
        ("443,80", [80...80, 443...443]),              // sorted
        ("80-90,85-100,101", [80...101]),              // overlapping and adjacent ranges merged
        ("1,65535", [1...1, 65535...65535]),           // the bounds
        ("443,443", [443...443]),                      // duplicates once
    ] as [(String, [ClosedRange<UInt16>])])
    func portListsParseSortedAndMerged(_ text: String, _ expected: [ClosedRange<UInt16>]) throws {
        let ports = try FirewallRule.ports(text)
        #expect(ports.map { $0.lower...$0.upper } == expected, "\(text)")
    }

    @Test(arguments: [
        "",            // nothing
        "0",           // below 1
        "65536",       // above 65535
        "99999999999", // far above, no overflow
        "80,",         // empty item
        ",80",
        "https",       // a name
        "-5",          // no lower end
        "5-",          // no upper end
        "100-50",      // reversed range
        "1-2-3",       // two dashes
        "+80",         // sign
        " 80",         // space
        "0x50",        // hex
        "٤٤٣",         // non-ASCII digits
    ])
    func malformedPortsAreRefused(_ text: String) {
        #expect(throws: FirewallRuleError.self) { try FirewallRule.ports(text) }
    }

    @Test func aPortNeedsTCPOrUDP() throws {
        for transport in ["any", "icmp"] {
            #expect(throws: FirewallRuleError.portNeedsTransport(transport)) { try Self.rule([.transport: transport, .port: "443"]) }
        }
        #expect(throws: FirewallRuleError.portNeedsTransport("any")) { try Self.rule([.port: "443"]) }
        #expect(try Self.rule([.transport: "udp", .port: "53"]).ports == [FirewallRule.PortRange(53, 53)])
    }

    @Test func choicesAreCheckedAndDefaultsKept() throws {
        let r = try Self.rule([.transport: "tcp"])
        #expect(r.direction == .outbound && r.action == .allow && r.profile == .any && r.transport == .tcp && r.ports.isEmpty)
        #expect(r.given == [.transport])
        for (option, bad) in [(FirewallRule.Option.direction, "out"), (.transport, "TCP"), (.action, "deny"), (.profile, "all")] {
            #expect(throws: FirewallRuleError.self) { try Self.rule([option: bad]) }
        }
        let message = "\(FirewallRuleError.invalidChoice(option: "--action", value: "deny", choices: ["allow", "block"]))"
        #expect(message == "--action: 'deny' is not one of allow, block")
    }

    @Test func formatsWithoutRulesRefuseEveryRuleOption() throws {
        let list = try ExportFixtures.list(ExportFixtures.newFile)
        let writers = ExportFormats.ruleWriters
        #expect(writers == ["nft", "powershell", "iptables", "ip6tables"])
        for format in ExportFormats.all where !writers.contains(format.id) {
            for option in FirewallRule.Option.allCases {
                var rule = FirewallRule()
                rule.given = [option]
                #expect(throws: ExportError.self) { try Exporter.checkRule(rule, for: format) }
                #expect(throws: ExportError.self) { try Exporter.export(list, as: format, options: ExportOptions(rule: rule)) }
            }
        }
        var port = FirewallRule()
        port.given = [.port]
        do {
            try Exporter.checkRule(port, for: TextFormat())
            Issue.record("txt took --port")
        } catch {
            #expect(error.description == "--port: format 'txt' writes no rules; use nft, powershell, iptables or ip6tables")
        }
    }

    @Test func profileIsPowerShellsAndChainIsNotPowerShells() throws {
        var profile = FirewallRule()
        profile.given = [.profile]
        #expect(throws: ExportError.ruleNotApplicable(option: "--profile", format: "nft", writers: ["powershell"], writesRules: true)) {
            try Exporter.checkRule(profile, for: NftFormat())
        }
        var chain = FirewallRule()
        chain.given = [.chain]
        chain.chain = "mine"
        #expect(throws: ExportError.self) { try Exporter.checkRule(chain, for: PowerShellFormat()) }
        try Exporter.checkRule(chain, for: NftFormat())
        chain.chain = "1bad name"
        #expect(throws: ExportError.self) { try Exporter.checkRule(chain, for: NftFormat()) }
        chain.chain = String(repeating: "c", count: 29)
        #expect(throws: ExportError.self) { try Exporter.checkRule(chain, for: IptablesFormat(family: .ipv4)) }
    }

    @Test func icmpInPowerShellNeedsOneFamily() throws {
        let rule = try Self.rule([.transport: "icmp"])
        let both = try ExportFixtures.list(ExportFixtures.newFile)
        #expect(throws: ExportError.icmpNeedsOneFamily(format: "powershell")) {
            try Exporter.export(both, as: PowerShellFormat(), options: ExportOptions(rule: rule))
        }
        let v6 = try ExportFixtures.list(ExportFixtures.newFile, ExportSelection(include: [TagPattern(ExportFixtures.tagName)], families: .ipv6))
        let text = ExportFixtures.text(try Exporter.export(v6, as: PowerShellFormat(), options: ExportOptions(rule: rule)))
        #expect(text.contains(" -Protocol ICMPv6 -Action Allow "))
        let model = PowerShellModel()
        try model.run(text)
        #expect(model.parameters[ExportFixtures.tagName]?["Protocol"] == "ICMPv6")
    }

    /// A long port list takes several iptables rules: `multiport` holds 15 ports, a range two.
    @Test func iptablesSplitsLongPortLists() throws {
        let ports = try FirewallRule.ports((1...20).map { String($0 * 10) }.joined(separator: ",") + ",1000-2000")
        let groups = IptablesFormat.portGroups(ports)
        #expect(groups.count == 2)
        #expect(groups.allSatisfy { IptablesModel.slots($0) != nil })
        #expect(groups.joined(separator: ",").split(separator: ",").count == 21)
    }
}

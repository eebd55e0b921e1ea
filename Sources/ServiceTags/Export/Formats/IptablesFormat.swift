/// `iptables` / `ip6tables`: an `iptables-restore --noflush` (`ip6tables-restore --noflush`) file
/// with the rules over the sets `--format ipset` writes for the same selection, `--name` and
/// `--max-entries`. Load the ipset file first (`ipset restore`): a rule naming a missing set fails.
///
///     *filter
///     :AzureCloud_out - [0:0]
///     -A AzureCloud_out -m set --match-set AzureCloud_v4 dst -p tcp -m multiport --dports 443 -j ACCEPT
///     COMMIT
///
/// The objects are planned with ipset's traits and name rule (`traits` is `IpsetFormat`'s), so the
/// set names are exactly the ones the ipset file creates; this format writes the IPv4 (`iptables`)
/// or IPv6 (`ip6tables`) sets' rules.
///
/// **Safe to rerun.** With `--noflush`, a chain line `:NAME - [0:0]` creates a user chain or
/// flushes it (iptables 1.8.9, verified here: loading twice leaves one copy and keeps other
/// chains' rules), so the file owns one chain, `BASE_out` or `BASE_in`, and refills it whole. A
/// restore file has no idempotent way to add the jump from `OUTPUT`/`INPUT` (`-A` appends a copy
/// per load and `-D` of a missing rule fails the file), so the jump is a one-time step that the
/// header gives as a command safe to rerun (`-C` checks first). A delta is this same file for the
/// new lists (`writeDelta`): the set contents change through the ipset delta, the rules only when
/// chunks come or go.
///
/// Limitation: ipset refuses to destroy a set a rule uses ("in use by a kernel component"), so
/// with `--max-entries`, an ipset delta that removes a chunk fails at its `destroy` line while
/// these rules still match that chunk (`ipset restore` is not atomic: the lines before it stay
/// applied). Apply the ipset delta, this file, then the ipset delta again (each of its lines is
/// idempotent), or leave out `--max-entries`: ipset sets need no chunks.
///
/// Rules: `-p tcp|udp` with `-m multiport --dports` (at most 15 ports per rule, a range counting
/// two: `man iptables-extensions`, so longer lists take several rules), `-p icmp` / `-p ipv6-icmp`,
/// `dst` for outbound and `src` for inbound (`--match-set NAME dst|src`), `-j ACCEPT` or
/// `-j DROP`. Chain names: at most 28 characters (XT_EXTENSION_MAXNAMELEN 29 with the NUL).
struct IptablesFormat: ExportFormat {
    let family: ExportObjectFamily

    init(family: ExportObjectFamily) {
        precondition(family != .mixed)
        self.family = family
    }

    var v6: Bool { family == .ipv6 }
    var id: String { v6 ? "ip6tables" : "iptables" }
    var summary: String { (v6 ? "ip6tables" : "iptables") + "-restore --noflush rules over the --format ipset sets, one chain refilled per load" }
    var traits: ExportTraits {
        var t = IpsetFormat().traits
        t.ruleOptions = [.direction, .transport, .port, .action, .chain]
        t.rulesByDefault = true
        t.chainRule = Self.chains
        t.lineLimit = Self.lineLimit
        return t
    }

    /// Far below what iptables-restore reads as one line; rules here stay under 200 bytes.
    static let lineLimit = 4_096
    /// The most ports one `multiport` match takes, a range counting two.
    static let multiportSlots = 15
    static let chains = ExportNameRule(maxLength: 28, allowed: .safeName, allowedFirst: .alphanumerics.union(ASCIISet("_")),
                                       summary: "1-28 characters from A-Z a-z 0-9 _ . -")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        rules(plan, to: &out)
    }

    /// Nothing when no set changed (the rules depend only on the set names and the options);
    /// else the whole file for the new lists.
    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        if !delta.changes.isEmpty { rules(delta.new, to: &out) }
    }

    func rules(_ plan: ExportPlan, to out: inout ExportText) {
        guard let rule = plan.rule, let chain = plan.chain else { return }
        let tool = v6 ? "ip6tables" : "iptables"
        let hook = rule.direction == .outbound ? "OUTPUT" : "INPUT"
        out.line("# Load after the --format ipset file of the same selection and options: \(tool)-restore --noflush FILE")
        out.line("# Once, jump to the chain (safe to rerun): \(tool) -C \(hook) -j \(chain) 2>/dev/null || \(tool) -I \(hook) -j \(chain)")
        out.line("*filter")
        out.line(":\(chain) - [0:0]")
        let side = rule.direction == .outbound ? "dst" : "src"
        let target = rule.action == .allow ? "ACCEPT" : "DROP"
        for object in plan.objects where object.family == family {
            let head = "-A \(chain) -m set --match-set \(object.name) \(side)"
            switch rule.transport {
            case .any: out.line("\(head) -j \(target)")
            case .icmp: out.line("\(head) -p \(v6 ? "ipv6-icmp" : "icmp") -j \(target)")
            case .tcp, .udp:
                let p = rule.transport.rawValue
                if rule.ports.isEmpty { out.line("\(head) -p \(p) -j \(target)") }
                for group in Self.portGroups(rule.ports) {
                    out.line("\(head) -p \(p) -m multiport --dports \(group) -j \(target)")
                }
            }
        }
        out.line("COMMIT")
    }

    /// `443,5000:5100` lists of at most `multiportSlots` slots each.
    static func portGroups(_ ports: [FirewallRule.PortRange]) -> [String] {
        var groups: [String] = [], current: [String] = [], used = 0
        for r in ports {
            let cost = r.isSinglePort ? 1 : 2
            if used + cost > multiportSlots {
                groups.append(current.joined(separator: ","))
                current = []
                used = 0
            }
            current.append(r.isSinglePort ? "\(r.lower)" : "\(r.lower):\(r.upper)")
            used += cost
        }
        if !current.isEmpty { groups.append(current.joined(separator: ",")) }
        return groups
    }
}

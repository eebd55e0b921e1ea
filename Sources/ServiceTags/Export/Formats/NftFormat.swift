/// `nft`: nftables named interval sets in an `inet` table, loaded with `nft -f FILE`.
///
/// Full list (`man nft` 1.0.6; verified here): declare the table and sets (idempotent), then
/// `flush set` and `add element` per set, all in one file, which nft applies as one transaction:
///
///     table inet azst {
///     	set AzureCloud_v4 {
///     		type ipv4_addr
///     		flags interval
///     	}
///     }
///     flush set inet azst AzureCloud_v4
///     add element inet azst AzureCloud_v4 {
///     	20.33.0.0/16,
///     	40.64.0.0/10
///     }
///
/// Rules (any of `--direction`, `--protocol`, `--port`, `--action`, `--chain`): a base chain
/// `BASE_out` (hook output) or `BASE_in` (hook input) in the same table and file, flushed and
/// refilled with one rule per set (`rules`). Its `accept` ends this chain only: nftables runs
/// every base chain of a hook, so an allow list works when the user's own chains drop the rest.
///
/// Delta: per set, removed elements are added-then-deleted and new ones added, in one transaction
/// that is safe to rerun (`writeDelta`). Deletes come before adds so a prefix replaced by its
/// halves never overlaps inside the transaction. Interval sets reject
/// overlapping elements, so nested prefixes are dropped first (`needsDisjointEntries`), and no
/// `auto-merge`: merged intervals could not be deleted prefix by prefix. Set names: up to 255
/// characters, unquoted (quoting is a syntax error in 1.0.6), no leading digit. Only the sets it
/// names are replaced (the table may hold other sets and the user's chains), so sets of chunks
/// that no longer exist (only with `--max-entries`) are removed by the delta, not the full list.
struct NftFormat: ExportFormat {
    var id: String { "nft" }
    var summary: String { "nftables interval sets (inet table azst), atomic full replace; optional chain with rules" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), nameRule: Self.names, supportsDelta: true, keepsEmptyObjects: true,
                     needsDisjointEntries: true, writesScript: true, lineLimit: Self.lineLimit,
                     ruleOptions: [.direction, .transport, .port, .action, .chain], chainRule: Self.names)
    }

    /// nft's scanner reads the file whole and has no line limit (verified here with nft 1.0.6: a
    /// 100,000-byte comment line loaded); ours keeps every line short all the same.
    static let lineLimit = 4_096

    static let names = ExportNameRule(maxLength: 255, allowed: .safeName, allowedFirst: ASCIISet.letters.union(ASCIISet("_")),
                                      summary: "1-255 characters from A-Z a-z 0-9 _ . -, starting with a letter or _")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        let table = plan.options.nftTable
        declare(plan.objects, chain: plan, table: table, to: &out)
        for object in plan.objects {
            out.line("flush set inet \(table) \(object.name)")
            elements("add", object.name, table: table, object.v4, object.v6, to: &out)
        }
        rules(plan, table: table, to: &out)
    }

    /// Safe to rerun: applied twice, or on sets that already hold the new lists, it leaves exactly
    /// the new lists. nft 1.0.6 has no `destroy element` (a syntax error here; newer nft has it)
    /// and `delete element` of a missing element fails the file, so each removed element is first
    /// added (a no-op when present) and then deleted. That add would conflict with a new element
    /// overlapping it (a /23 replaced by its /24s) on sets that hold the new list, so a set whose
    /// removed and added elements overlap is flushed and refilled instead, and one that becomes
    /// empty is declared and flushed. Vanished sets are
    /// declared (a no-op when present) before `delete set`, and the chain, when there is one, is
    /// flushed and refilled before them, so it never refers to a set being deleted.
    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        let table = delta.new.options.nftTable
        // Sets that become empty (a tag gone from the new file) are declared and flushed, so the
        // delta also runs where they were never loaded.
        let declared = delta.changes.compactMap { $0.kind == .created || $0.new?.isEmpty == true ? $0.new : $0.kind == .deleted ? $0.old : nil }
        declare(declared, chain: delta.new, table: table, to: &out)
        for change in delta.changes where change.kind != .deleted {
            if let object = change.new, object.isEmpty || Self.overlap(change.removed4, change.added4) || Self.overlap(change.removed6, change.added6) {
                out.line("flush set inet \(table) \(change.name)")
                elements("add", change.name, table: table, object.v4, object.v6, to: &out)
                continue
            }
            elements("add", change.name, table: table, change.removed4[...], change.removed6[...], to: &out)
            elements("delete", change.name, table: table, change.removed4[...], change.removed6[...], to: &out)
            elements("add", change.name, table: table, change.added4[...], change.added6[...], to: &out)
        }
        rules(delta.new, table: table, to: &out)
        for change in delta.changes where change.kind == .deleted {
            out.line("delete set inet \(table) \(change.name)")
        }
    }

    /// Whether a prefix of sorted `a` overlaps one of sorted `b` (CIDR prefixes overlap only by
    /// nesting, and a container sorts before what it holds, so one merge pass finds it).
    /// - Complexity: O(|a| + |b|).
    static func overlap<A>(_ a: [Prefix<A>], _ b: [Prefix<A>]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i].overlaps(b[j]) { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }

    /// The table with `objects`' sets and, when `plan` has a rule, its base chain; every part is
    /// idempotent (`table` and `set` and `chain` blocks add what is missing).
    func declare(_ objects: [ExportObject], chain plan: ExportPlan, table: String, to out: inout ExportText) {
        guard !objects.isEmpty || plan.chain != nil else { return }
        out.line("table inet \(table) {")
        for object in objects {
            out.line("\tset \(object.name) {")
            out.line(object.family == .ipv6 ? "\t\ttype ipv6_addr" : "\t\ttype ipv4_addr")
            out.line("\t\tflags interval")
            out.line("\t}")
        }
        if let chain = plan.chain, let rule = plan.rule {
            out.line("\tchain \(chain) {")
            out.line("\t\ttype filter hook \(rule.direction == .outbound ? "output" : "input") priority 0; policy accept;")
            out.line("\t}")
        }
        out.line("}")
    }

    /// `flush chain`, then one rule per set: `ip daddr @SET tcp dport { 443 } accept` (outbound;
    /// inbound matches `saddr`, the peer, in a chain on the input hook; the port is the
    /// destination port both ways: the server's port out, this machine's in). Flushing first makes
    /// a reload replace the rules instead of appending copies.
    func rules(_ plan: ExportPlan, table: String, to out: inout ExportText) {
        guard let chain = plan.chain, let rule = plan.rule else { return }
        out.line("flush chain inet \(table) \(chain)")
        let peer = rule.direction == .outbound ? "daddr" : "saddr"
        let verdict = rule.action == .allow ? "accept" : "drop"
        for object in plan.objects {
            let v6 = object.family == .ipv6
            var line = "add rule inet \(table) \(chain) \(v6 ? "ip6" : "ip") \(peer) @\(object.name)"
            switch rule.transport {
            case .any: break
            case .icmp: line += v6 ? " meta l4proto ipv6-icmp" : " meta l4proto icmp"
            case .tcp, .udp:
                let name = rule.transport.rawValue
                line += rule.ports.isEmpty ? " meta l4proto \(name)"
                    : " \(name) dport { " + rule.ports.map { $0.isSinglePort ? "\($0.lower)" : "\($0.lower)-\($0.upper)" }.joined(separator: ", ") + " }"
            }
            out.line(line + " " + verdict)
        }
    }

    /// `VERB element inet TABLE SET { ... }`, one element per line; nothing for no elements (an
    /// empty `{ }` is a syntax error).
    func elements(_ verb: String, _ name: String, table: String, _ v4: ArraySlice<IPv4Prefix>, _ v6: ArraySlice<IPv6Prefix>,
                  to out: inout ExportText) {
        if v4.isEmpty && v6.isEmpty { return }
        out.line("\(verb) element inet \(table) \(name) {")
        var first = true
        for p in v4 {
            if !first { out.line(",") }
            out.write("\t"); out.write(p); first = false
        }
        for p in v6 {
            if !first { out.line(",") }
            out.write("\t"); out.write(p); first = false
        }
        out.newline()
        out.line("}")
    }
}

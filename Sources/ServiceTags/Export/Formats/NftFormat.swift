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
/// Delta: `delete element` then `add element` per set, also one transaction (a delete of a missing
/// element fails and rolls the whole file back; reload the full list then). Deletes come first so
/// a prefix replaced by its halves never overlaps inside the transaction. Interval sets reject
/// overlapping elements, so nested prefixes are dropped first (`needsDisjointEntries`), and no
/// `auto-merge`: merged intervals could not be deleted prefix by prefix. Set names: up to 255
/// characters, unquoted (quoting is a syntax error in 1.0.6), no leading digit. Only the sets it
/// names are replaced (the table may hold other sets and the user's chains), so sets of chunks
/// that no longer exist (only with `--max-entries`) are removed by the delta, not the full list.
struct NftFormat: ExportFormat {
    var id: String { "nft" }
    var summary: String { "nftables interval sets (inet table azst), atomic full replace" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), nameRule: Self.names, supportsDelta: true, keepsEmptyObjects: true,
                     needsDisjointEntries: true, writesScript: true, lineLimit: Self.lineLimit)
    }

    /// nft's scanner reads the file whole and has no line limit (verified here with nft 1.0.6: a
    /// 100,000-byte comment line loaded); ours keeps every line short all the same.
    static let lineLimit = 4_096

    static let names = ExportNameRule(maxLength: 255, allowed: .safeName, allowedFirst: ASCIISet.letters.union(ASCIISet("_")),
                                      summary: "1-255 characters from A-Z a-z 0-9 _ . -, starting with a letter or _")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        let table = plan.options.nftTable
        declare(plan.objects, table: table, to: &out)
        for object in plan.objects {
            out.line("flush set inet \(table) \(object.name)")
            elements("add", object.name, table: table, object.v4, object.v6, to: &out)
        }
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        let table = delta.new.options.nftTable
        declare(delta.changes.compactMap { $0.kind == .created ? $0.new : nil }, table: table, to: &out)
        for change in delta.changes where change.kind != .deleted {
            elements("delete", change.name, table: table, change.removed4[...], change.removed6[...], to: &out)
            elements("add", change.name, table: table, change.added4[...], change.added6[...], to: &out)
        }
        for change in delta.changes where change.kind == .deleted {
            out.line("delete set inet \(table) \(change.name)")
        }
    }

    func declare(_ objects: [ExportObject], table: String, to out: inout ExportText) {
        if objects.isEmpty { return }
        out.line("table inet \(table) {")
        for object in objects {
            out.line("\tset \(object.name) {")
            out.line(object.family == .ipv6 ? "\t\ttype ipv6_addr" : "\t\ttype ipv4_addr")
            out.line("\t\tflags interval")
            out.line("\t}")
        }
        out.line("}")
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

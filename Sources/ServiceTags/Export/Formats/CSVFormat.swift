/// `csv`: `prefix,family,tags` (RFC 4180), one row per prefix in the usual order.
///
/// `tags` is the selected tags with an address in that prefix, in byte order, separated by
/// spaces: for an unaggregated export that is the tags listing it (or a prefix nested in it), for
/// an aggregated one every tag that contributed. Fields are quoted when needed, and a field that a
/// spreadsheet would take for a formula (leading `=`, `+`, `-`, `@`, TAB, CR or LF: OWASP
/// "CSV Injection") is prefixed with `'`.
struct CSVFormat: ExportFormat {
    var id: String { "csv" }
    var summary: String { "prefix,family,tags" }
    var traits: ExportTraits { ExportTraits(families: .mixed) }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        let list = plan.list
        out.line("prefix,family,tags")
        // Tag indices ordered by name, so each row's tag field is sorted.
        let order = list.sources.indices.sorted { list.sources[$0].name.utf8.lexicographicallyPrecedes(list.sources[$1].name.utf8) }
        var rank = [Int](repeating: 0, count: list.sources.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        let fallback = Self.field(list.tags.joined(separator: " "))
        func rows<A>(_ prefixes: [Prefix<A>], family: String, lists: [[Prefix<A>]]) {
            let owners = list.sources.isEmpty ? [] : Self.owners(of: prefixes, sources: lists, rank: rank)
            for (k, p) in prefixes.enumerated() {
                out.write(p)
                out.write(family)
                out.write(owners.isEmpty ? fallback : Self.field(owners[k].map { list.sources[order[$0]].name }.joined(separator: " ")))
                out.newline()
            }
        }
        rows(list.v4, family: ",ipv4,", lists: list.sources.map(\.ipv4))
        rows(list.v6, family: ",ipv6,", lists: list.sources.map(\.ipv6))
    }

    /// For each output prefix (sorted, nesting allowed), the ranks of the sources overlapping it.
    ///
    /// A sweep: source ranges enter an active list once they start at or before the output's last
    /// address and leave once they end before its first address (outputs' first addresses never
    /// decrease, so a range that ended stays irrelevant).
    /// - Complexity: O((n + m) log m + n · a) for n outputs, m source prefixes, a active ranges.
    static func owners<A>(of outputs: [Prefix<A>], sources: [[Prefix<A>]], rank: [Int]) -> [[Int]] {
        var events: [(first: A.Bits, last: A.Bits, rank: Int)] = []
        for (i, list) in sources.enumerated() {
            for p in list { events.append((p.first.bits, p.last.bits, rank[i])) }
        }
        events.sort { $0.first < $1.first }
        var active: [(first: A.Bits, last: A.Bits, rank: Int)] = []
        var result: [[Int]] = []
        result.reserveCapacity(outputs.count)
        var j = 0
        for o in outputs {
            let first = o.first.bits, last = o.last.bits
            while j < events.count && events[j].first <= last { active.append(events[j]); j += 1 }
            active.removeAll { $0.last < first }
            var ranks: [Int] = []
            for r in active where r.first <= last && r.last >= first && !ranks.contains(r.rank) { ranks.append(r.rank) }
            result.append(ranks.sorted())
        }
        return result
    }

    /// An RFC 4180 field, quoted when it holds a comma, quote or line break, and guarded against
    /// formula injection (a leading TAB, CR or LF too: OWASP lists them, as some spreadsheets skip
    /// them before looking for a formula).
    static func field(_ text: String) -> String {
        var text = text
        switch text.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: text = "'" + text
        default: break
        }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if !needsQuotes { return text }
        var quoted = "\""
        for ch in text { quoted += ch == "\"" ? "\"\"" : String(ch) }
        return quoted + "\""
    }
}

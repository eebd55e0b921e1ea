#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

extension SuggestCommand {
    /// A `TagSuggestion` as `stag suggest` shows it: text advice or one JSON document.
    struct Report {
        var observations: [IPPrefix]
        var loaded: [DataSource.Loaded]
        var indexes: [TagIndex]
        var refs: [TagSuggestion.TagRef]
        var candidates: [TagSuggestion.Candidate]
        var suggestion: TagSuggestion

        var several: Bool { loaded.count > 1 }
        var covered: Int { observations.count - suggestion.uncovered.count }

        func name(_ c: Int) -> String { loaded[refs[c].source].file.tags[Int(refs[c].tag)].name }
        func cloud(_ c: Int) -> String { loaded[refs[c].source].cloud }

        /// The chosen candidates by name, then file order (JSON's order).
        var chosenByName: [Int] {
            suggestion.chosen.sorted { a, b in
                let na = name(a), nb = name(b)
                return na != nb ? na.utf8.lexicographicallyPrecedes(nb.utf8) : a < b
            }
        }

        /// The chosen candidates, most observations covered first, then by name (the advice's order).
        var chosenByCovers: [Int] {
            chosenByName.enumerated().sorted { a, b in
                let ca = candidates[a.element].covers.count, cb = candidates[b.element].covers.count
                return ca != cb ? ca > cb : a.offset < b.offset
            }.map(\.element)
        }

        /// The addresses the chosen tags allow together (their union, across clouds).
        var allowed: (ipv4: AddressCount, ipv6: AddressCount) {
            var v4: [IPv4Prefix] = [], v6: [IPv6Prefix] = []
            for c in suggestion.chosen {
                let tag = indexes[refs[c].source].tags[Int(refs[c].tag)]
                v4 += tag.ipv4
                v6 += tag.ipv6
            }
            return (PrefixSet(v4).addressCount, PrefixSet(v6).addressCount)
        }

        /// The one tag covering every covered observation with the least space (then the first),
        /// when the suggestion is not that tag alone.
        var insteadOf: Int? {
            guard covered > 0 else { return nil }
            let single = candidates.indices.filter { candidates[$0].covers.count == covered }
                .min { (candidates[$0].cost, $0) < (candidates[$1].cost, $1) }
            guard let single, suggestion.chosen != [single] else { return nil }
            return single
        }

        var uncoveredText: [String] { suggestion.uncovered.map { observations[$0] }.sorted().map(\.addressOrPrefixText) }

        // MARK: JSON

        func json() -> String {
            let (v4, v6) = allowed
            let tags = chosenByName.map(tagJSON)
            let instead = insteadOf.map(tagJSON) ?? "null"
            return JSONText.object([
                ("addresses", String(observations.count)), ("covered", String(covered)),
                ("uncovered", JSONText.strings(uncoveredText)),
                ("ipv4Addresses", v4.description), ("ipv6Addresses", JSONText.string(v6.description)),
                ("method", JSONText.string(suggestion.method.rawValue)),
                ("candidates", String(suggestion.candidatesConsidered)),
                ("tags", JSONText.array(tags)), ("insteadOf", instead),
            ]) + "\n"
        }

        /// `{"name","cloud" (several files only),"covers","ipv4Addresses","ipv6Addresses"}`.
        func tagJSON(_ c: Int) -> String {
            var fields = [("name", JSONText.string(name(c)))]
            if several { fields.append(("cloud", JSONText.string(cloud(c)))) }
            fields += [("covers", String(candidates[c].covers.count)),
                       ("ipv4Addresses", candidates[c].ipv4Addresses.description),
                       ("ipv6Addresses", JSONText.string(candidates[c].ipv6Addresses.description))]
            return JSONText.object(fields)
        }

        // MARK: Text

        /// The tag's name (and cloud, with several files) for the advice sentence: data, escaped.
        func label(_ c: Int) -> String { HumanText.escaped(several ? name(c) + " [" + cloud(c) + "]" : name(c)) }

        func text() -> String {
            if observations.isEmpty { return "no addresses to cover\n" }
            var s = ""
            let chosen = chosenByCovers
            if chosen.isEmpty {
                s += "no service tag contains any of the \(observations.count) address\(observations.count == 1 ? "" : "es")\n"
            } else {
                var parts = chosen.prefix(Self.adviceLimit).enumerated().map { i, c -> String in
                    let n = candidates[c].covers.count
                    let covers = i == 0 ? "\(n) address\(n == 1 ? "" : "es")" : "\(n)"
                    return label(c) + " (" + covers + ", " + Self.size(candidates[c], labelled: i == 0) + ")"
                }
                if chosen.count > Self.adviceLimit { parts.append("\(chosen.count - Self.adviceLimit) more tags (below)") }
                s += "allow " + Self.list(parts)
                if let c = insteadOf { s += " instead of " + label(c) + " (" + Self.size(candidates[c], labelled: false) + ")" }
                s += "\n\n"
                var rows = [several ? ["tag", "cloud", "covers", "IPv4 addresses", "IPv6 addresses"] : ["tag", "covers", "IPv4 addresses", "IPv6 addresses"]]
                for c in chosen {
                    rows.append([name(c)] + (several ? [cloud(c)] : [])
                                + [String(candidates[c].covers.count), candidates[c].ipv4Addresses.description, candidates[c].ipv6Addresses.description])
                }
                s += TextTable.align(rows).map { "  " + $0 + "\n" }.joined() + "\n"
                let (v4, v6) = allowed
                s += "\(covered) of \(observations.count) addresses covered; together these tags allow \(v4) IPv4 and \(v6) IPv6 addresses\n"
                let k = suggestion.candidatesConsidered
                s += suggestion.method == .exact
                    ? "method: exact (the narrowest choice among \(k) candidate tag\(k == 1 ? "" : "s"))\n"
                    : "method: greedy (\(k) candidate tags, more than \(TagSuggestion.defaultExactLimit) for the exact search: narrow, not proven the narrowest)\n"
            }
            let uncovered = uncoveredText
            if !uncovered.isEmpty {
                s += "not in any service tag (\(uncovered.count)):\n" + uncovered.map { "  " + $0 + "\n" }.joined()
            }
            return s
        }

        /// The advice sentence names at most this many tags (the most covering); the table lists all.
        static let adviceLimit = 8

        /// "A", "A and B", "A, B and C".
        static func list(_ items: [String]) -> String {
            items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
        }

        /// A tag's size for the advice: IPv4 in millions ("0.2 M", exact below 50,000), or for an
        /// IPv6-only tag a power of two ("2^64 IPv6", "~2^70.6 IPv6").
        static func size(_ c: TagSuggestion.Candidate, labelled: Bool) -> String {
            if c.ipv4Addresses != .zero || c.ipv6Addresses == .zero {
                let n = c.ipv4Addresses.exactValue ?? 0
                let text = n < 50_000 ? String(n) : { let tenths = (n + 50_000) / 100_000; return "\(tenths / 10).\(tenths % 10) M" }()
                return text + (labelled ? " IPv4" : "")
            }
            let v6 = c.ipv6Addresses
            if v6.high == 1 { return "2^128 IPv6" }
            if v6.low.nonzeroBitCount == 1 { return "2^\(v6.low.trailingZeroBitCount) IPv6" }
            let tenths = Int((log2(v6.doubleValue) * 10).rounded())
            return "~2^\(tenths / 10).\(tenths % 10) IPv6"
        }
    }
}

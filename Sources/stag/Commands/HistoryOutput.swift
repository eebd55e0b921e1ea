import ServiceTags

/// `stag history` output: one JSON line per address or tag (`cli.md`, "stag history"), or text
/// for people. Data text reaches JSON through the JSON writer and a terminal through
/// `HumanText.escaped` (via `TextTable`).
enum HistoryOutput {
    /// `{"address","files","from","to","tags":[{"name","intervals":[{"from","to","prefix"}]}]}` and a newline.
    static func json(_ h: AddressHistory, input: String, archive: HistoryArchive) -> String {
        let tags = h.tags.map { t in
            JSONText.object([
                ("name", JSONText.string(t.name)),
                ("intervals", JSONText.array(t.intervals.map { i in
                    JSONText.object([("from", JSONText.string(archive.entries[i.first].date)),
                                     ("to", JSONText.string(archive.entries[i.last].date)),
                                     ("prefix", JSONText.string(i.prefix.description))])
                })),
            ])
        }
        return JSONText.object([
            ("address", JSONText.string(input)), ("files", String(archive.entries.count)),
            ("from", JSONText.string(archive.from)), ("to", JSONText.string(archive.to)),
            ("tags", JSONText.array(tags)),
        ]) + "\n"
    }

    /// The address, then one aligned row per interval (tag, prefix, `from → to`), then
    /// `not in any tag since DATE` when it left every tag before the archive's last file
    /// ("selected tag" when `--tag` restricted the answer).
    static func text(_ h: AddressHistory, input: String, archive: HistoryArchive, restricted: Bool) -> String {
        var s = HumanText.escaped(input) + "\n"
        let tag = restricted ? "selected tag" : "tag"
        guard let lastSeen = h.lastSeen else {
            return s + "  not in any \(tag) in \(archive.entries.count) files, \(archive.from) → \(archive.to)\n"
        }
        let rows = h.tags.flatMap { t in
            t.intervals.map { [t.name, $0.prefix.description, archive.entries[$0.first].date + " → " + archive.entries[$0.last].date] }
        }
        s += TextTable.align(rows).map { "  " + $0 + "\n" }.joined()
        if lastSeen < archive.entries.count - 1 { s += "  not in any \(tag) since \(archive.entries[lastSeen + 1].date)\n" }
        return s
    }

    /// `{"tag","files","weeks":[{"date","present","changeNumber","ipv4","ipv6","added","removed"}]}` and a newline.
    static func json(_ h: TagHistory, archive: HistoryArchive) -> String {
        let weeks = zip(archive.entries, h.weeks).map { entry, w in
            JSONText.object([
                ("date", JSONText.string(entry.date)), ("present", w.present ? "true" : "false"),
                ("changeNumber", JSONText.number(w.changeNumber)), ("ipv4", String(w.ipv4)), ("ipv6", String(w.ipv6)),
                ("added", JSONText.strings(w.added.map(\.description))), ("removed", JSONText.strings(w.removed.map(\.description))),
            ])
        }
        return JSONText.object([("tag", JSONText.string(h.name)), ("files", String(archive.entries.count)),
                                ("weeks", JSONText.array(weeks))]) + "\n"
    }

    /// The tag, then per file a row (date, change number, counts, changes), each added prefix
    /// (`+`) and removed prefix (`-`) on a line of its own below it.
    static func text(_ h: TagHistory, archive: HistoryArchive) -> String {
        var s = HumanText.escaped(h.name) + "\n"
        let rows = zip(archive.entries, h.weeks).map { entry, w -> [String] in
            guard w.present else { return [entry.date, "absent", "", "", changes(w)] }
            return [entry.date, "changeNumber " + (w.changeNumber.map(String.init) ?? "-"), "\(w.ipv4) IPv4", "\(w.ipv6) IPv6", changes(w)]
        }
        for (line, w) in zip(TextTable.align(rows), h.weeks) {
            s += "  " + line.trimmingWhitespace() + "\n"
            for p in w.added { s += "      + \(p)\n" }
            for p in w.removed { s += "      - \(p)\n" }
        }
        return s
    }

    private static func changes(_ w: TagHistory.Week) -> String {
        w.added.isEmpty && w.removed.isEmpty ? "" : "+\(w.added.count) -\(w.removed.count)"
    }
}

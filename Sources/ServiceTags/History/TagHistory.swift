/// One tag over the files of a `HistoryArchive`: per file, whether it is there, its counts, and
/// its exact changes since the file before (`cli.md`, "stag history --tag").
///
/// A file without the tag counts as the tag with no prefixes: `present` false, counts 0, and
/// against the file before, every prefix it had is removed; when it comes back, every prefix is
/// added. The first file's `added` and `removed` are empty (there is no file before).
///
/// Invariants: `weeks.count` is the archive's file count, `weeks[i]` describes file `i`; counts
/// are of distinct prefixes; `added`/`removed` are disjoint, sorted IPv4 first, then by address
/// and length.
public struct TagHistory: Hashable, Sendable {
    public struct Week: Hashable, Sendable {
        public var present: Bool
        public var changeNumber: Int?
        public var ipv4: Int
        public var ipv6: Int
        public var added: [IPPrefix]
        public var removed: [IPPrefix]

        public init(present: Bool, changeNumber: Int?, ipv4: Int, ipv6: Int, added: [IPPrefix], removed: [IPPrefix]) {
            self.present = present
            self.changeNumber = changeNumber
            self.ipv4 = ipv4
            self.ipv6 = ipv6
            self.added = added
            self.removed = removed
        }
    }

    public var name: String
    public var weeks: [Week]

    public init(name: String, weeks: [Week]) {
        self.name = name
        self.weeks = weeks
    }
}

/// Builds `TagHistory` for the tags matching some patterns, file by file, oldest first.
///
/// Keeps only the selected tags' sorted prefixes of the file before, so memory is one file's worth
/// of those tags. A tag first seen in file k (a glob can select tags no earlier file had) gets
/// absent weeks for files 0..<k.
public struct TagHistoryBuilder: Sendable {
    public let selection: TagSelection
    public private(set) var files = 0
    private var histories: [String: TagHistory] = [:]
    /// The previous file's sorted, distinct prefixes of each tag seen so far (empty when absent).
    private var previous: [String: (ipv4: [IPv4Prefix], ipv6: [IPv6Prefix])] = [:]

    /// - Precondition: `selection` names tags (`TagSelection.all` would follow every tag; the
    ///   CLI asks for `--tag`).
    public init(selection: TagSelection) { self.selection = selection }

    /// Whether `name` is one of the tags this builder follows.
    public func selects(_ name: String) -> Bool { selection.contains(name) }

    /// Adds the next file, given its tags (all of them or only the selected ones).
    /// - Complexity: O(p log p) over the selected tags' p prefixes (O(p) when sorted, as listed).
    public mutating func add(_ tags: [ServiceTag]) {
        let first = files == 0
        var seen = Set<String>()
        for tag in tags where selects(tag.name) {
            seen.insert(tag.name)
            let v4 = SortedPrefixes.sortedUnique(tag.ipv4), v6 = SortedPrefixes.sortedUnique(tag.ipv6)
            if histories[tag.name] == nil {
                let absent = TagHistory.Week(present: false, changeNumber: nil, ipv4: 0, ipv6: 0, added: [], removed: [])
                histories[tag.name] = TagHistory(name: tag.name, weeks: Array(repeating: absent, count: files))
            }
            let old = previous[tag.name] ?? ([], [])
            var week = TagHistory.Week(present: true, changeNumber: tag.changeNumber, ipv4: v4.count, ipv6: v6.count, added: [], removed: [])
            if !first { (week.added, week.removed) = Self.changes(old, (v4, v6)) }
            histories[tag.name]!.weeks.append(week)
            previous[tag.name] = (v4, v6)
        }
        for name in histories.keys where !seen.contains(name) {
            var week = TagHistory.Week(present: false, changeNumber: nil, ipv4: 0, ipv6: 0, added: [], removed: [])
            if !first { (week.added, week.removed) = Self.changes(previous[name] ?? ([], []), ([], [])) }
            histories[name]!.weeks.append(week)
            previous[name] = ([], [])
        }
        files += 1
    }

    /// The tags seen in any file, sorted by name in byte order.
    public func finish() -> [TagHistory] {
        histories.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    private static func changes(_ old: (ipv4: [IPv4Prefix], ipv6: [IPv6Prefix]), _ new: (ipv4: [IPv4Prefix], ipv6: [IPv6Prefix]))
        -> (added: [IPPrefix], removed: [IPPrefix]) {
        let d4 = SortedPrefixes.difference(old.ipv4, new.ipv4), d6 = SortedPrefixes.difference(old.ipv6, new.ipv6)
        return (d4.added.map(IPPrefix.v4) + d6.added.map(IPPrefix.v6), d4.removed.map(IPPrefix.v4) + d6.removed.map(IPPrefix.v6))
    }
}

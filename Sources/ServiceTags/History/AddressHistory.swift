/// When one address (or prefix) was inside which tags, over the files of a `HistoryArchive`.
///
/// An interval is a maximal run of consecutive files (archive positions) in which the tag contains
/// the query through the same most specific prefix: a change of prefix, or a file without the
/// tag's containing it, ends the run. The model is per-file answers only (tag name and prefix per
/// file), so a compiled history that stores those answers gives the same intervals.
///
/// Invariants: `tags` sorted by name in byte order, names distinct, each with at least one
/// interval; a tag's intervals sorted by `first` and disjoint, `first <= last`, and two intervals
/// of one tag that touch (`a.last + 1 == b.first`) have different prefixes.
public struct AddressHistory: Hashable, Sendable {
    public struct Interval: Hashable, Sendable {
        /// Positions in the archive of the run's first and last file.
        public var first: Int
        public var last: Int
        public var prefix: IPPrefix

        public init(first: Int, last: Int, prefix: IPPrefix) {
            self.first = first
            self.last = last
            self.prefix = prefix
        }
    }

    public struct TagIntervals: Hashable, Sendable {
        public var name: String
        public var intervals: [Interval]

        public init(name: String, intervals: [Interval]) {
            self.name = name
            self.intervals = intervals
        }
    }

    /// The query, IPv4-mapped IPv6 as IPv4; a single address is a /32 or /128.
    public var query: IPPrefix
    public var tags: [TagIntervals]

    public init(query: IPPrefix, tags: [TagIntervals]) {
        self.query = query
        self.tags = tags
    }

    /// Whether the query was in any tag in any file.
    public var wasFound: Bool { !tags.isEmpty }

    /// The last file position at which the query was in some tag, nil if never.
    public var lastSeen: Int? { tags.lazy.compactMap { $0.intervals.last?.last }.max() }

    /// The form queries take: an address as its host prefix, IPv4-mapped IPv6 as IPv4 (the files
    /// list IPv4 as IPv4).
    public static func query(for address: IPAddress) -> IPPrefix {
        switch address.unmapped {
        case .v4(let a): .v4(IPv4Prefix(masking: a, length: 32))
        case .v6(let a): .v6(IPv6Prefix(masking: a, length: 128))
        }
    }

    /// `prefix` with an IPv4-mapped IPv6 prefix (::ffff:a.b.c.d/96+n) as the IPv4 prefix /n.
    public static func query(for prefix: IPPrefix) -> IPPrefix {
        if case .v6(let p) = prefix, p.length >= 96, let a = p.address.unmappedIPv4 {
            return .v4(IPv4Prefix(unchecked: a, length: Int(p.length) - 96))
        }
        return prefix
    }
}

/// Builds `AddressHistory` for many queries from per-file answers, file by file, oldest first.
///
/// Each file's answers come from one `TagIndex` (`add(_:selecting:)`), built once per file and
/// probed once per query; nothing is rebuilt per query, and a query's state is its runs so far.
/// Tag names are numbered once per file (not per query), so runs compare integers.
///
/// Invariant: `runs[q]` holds query `q`'s intervals as (tag number, prefix, first, last); a run is
/// open, i.e. can still grow, exactly when `last == files - 1`.
public struct AddressHistoryBuilder: Sendable {
    struct Run: Sendable {
        var tag: Int32
        var first: Int32
        var last: Int32
        var prefix: IPPrefix
    }

    public let queries: [IPPrefix]
    /// Files added so far; the next file's position.
    public private(set) var files = 0
    private var names: [String] = []
    private var numbers: [String: Int32] = [:]
    private var runs: [[Run]]
    /// The queries sorted for `add(_ file:)`, made on its first use.
    var order: QueryOrder?

    /// - Parameter queries: in `AddressHistory.query(for:)` form.
    public init(queries: [IPPrefix]) {
        self.queries = queries
        runs = Array(repeating: [], count: queries.count)
    }

    /// The stable number of a tag name over the whole archive.
    mutating func number(of name: String) -> Int32 {
        if let n = numbers[name] { return n }
        let n = Int32(names.count)
        names.append(name)
        numbers[name] = n
        return n
    }

    /// Records that in the file being added (position `files`) query `q` is in tag `tag` through
    /// `prefix` (its most specific one). Call at most once per query and tag per file, then `endFile()`.
    /// - Complexity: O(runs of query `q`), a handful.
    mutating func record(query q: Int, tag: Int32, prefix: IPPrefix) {
        let f = Int32(files)
        let open = f - 1
        for r in runs[q].indices where runs[q][r].tag == tag && runs[q][r].last == open {
            if runs[q][r].prefix == prefix {
                runs[q][r].last = f
                return
            }
            break
        }
        runs[q].append(Run(tag: tag, first: f, last: f, prefix: prefix))
    }

    mutating func endFile() { files += 1 }

    /// The histories, in query order.
    /// - Complexity: O(runs log runs) per query.
    public func finish() -> [AddressHistory] {
        zip(queries, runs).map { query, runs in
            var byTag: [Int32: [AddressHistory.Interval]] = [:]
            for r in runs {
                byTag[r.tag, default: []].append(.init(first: Int(r.first), last: Int(r.last), prefix: r.prefix))
            }
            let tags = byTag.map { tag, intervals in
                AddressHistory.TagIntervals(name: names[Int(tag)], intervals: intervals.sorted { $0.first < $1.first })
            }
            return AddressHistory(query: query, tags: tags.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
        }
    }
}

extension AddressHistoryBuilder {
    /// Adds the next file from answers found some other way (a compiled history, a test):
    /// `answers[q]` lists query `q`'s tags in this file, each once, with its most specific prefix.
    /// - Complexity: O(answers × runs per query).
    public mutating func add(answers: [[(name: String, prefix: IPPrefix)]]) {
        precondition(answers.count == queries.count, "one answer list per query")
        for (q, list) in answers.enumerated() {
            for a in list { record(query: q, tag: number(of: a.name), prefix: a.prefix) }
        }
        endFile()
    }
}

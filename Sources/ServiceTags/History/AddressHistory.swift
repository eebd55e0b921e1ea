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

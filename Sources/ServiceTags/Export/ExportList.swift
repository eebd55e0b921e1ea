/// The prefixes to export, with where they came from (for comments and CSV attribution).
///
/// Invariant: `v4` and `v6` are sorted ascending (by address, then length) without duplicates.
/// Nested prefixes may remain (two tags listing a /16 and a /24 inside it) unless the list was
/// aggregated or had exclusions; formats that cannot hold overlaps get them removed at export
/// (`ExportList.withoutNested()`), which never changes the address space.
public struct ExportList: Sendable {
    /// The selected tags' names, in byte order.
    public var tags: [String]
    /// The excluded tags' names, in byte order.
    public var excluded: [String]
    public var v4: [IPv4Prefix]
    public var v6: [IPv6Prefix]
    /// The source file's change number, for comments.
    public var changeNumber: Int?
    /// Which families the selection covers (`--ipv4`/`--ipv6`): formats that keep empty objects
    /// declare one per family in scope, so a full load empties a family that became empty.
    public var families: ExportFamilies
    /// The selected tags themselves, for CSV attribution; empty when the caller built the list
    /// from bare prefixes.
    public var sources: [ServiceTag]

    /// A list from prefixes in any order (sorted and deduplicated here).
    /// - Complexity: O(n log n).
    public init(tags: [String], excluded: [String] = [], v4: [IPv4Prefix], v6: [IPv6Prefix], changeNumber: Int? = nil,
                families: ExportFamilies = .both, sources: [ServiceTag] = []) {
        self.tags = tags.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.excluded = excluded.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.v4 = Self.sortedUnique(v4)
        self.v6 = Self.sortedUnique(v6)
        self.changeNumber = changeNumber
        self.families = families
        self.sources = sources
    }

    /// A list whose prefixes are already sorted and unique (checked in debug builds).
    init(sortedTags tags: [String], excluded: [String], v4: [IPv4Prefix], v6: [IPv6Prefix], changeNumber: Int?,
         families: ExportFamilies, sources: [ServiceTag]) {
        assert(Self.isSortedUnique(v4) && Self.isSortedUnique(v6))
        self.tags = tags
        self.excluded = excluded
        self.v4 = v4
        self.v6 = v6
        self.changeNumber = changeNumber
        self.families = families
        self.sources = sources
    }

    /// The list of one tag, as the file lists it (the form `stag diff` compares).
    public init(tag: ServiceTag, changeNumber: Int? = nil, families: ExportFamilies = .both) {
        self.init(tags: [tag.name], v4: families.includesIPv4 ? tag.ipv4 : [], v6: families.includesIPv6 ? tag.ipv6 : [],
                  changeNumber: changeNumber ?? tag.changeNumber, families: families, sources: [tag])
    }

    public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }
    public var count: Int { v4.count + v6.count }

    /// Sorts ascending and drops duplicates.
    /// - Complexity: O(n) when already sorted, else O(n log n).
    static func sortedUnique<A>(_ prefixes: [Prefix<A>]) -> [Prefix<A>] {
        if isSortedUnique(prefixes) { return prefixes }
        var out = prefixes
        out.sort()
        var write = 0
        for p in out where write == 0 || out[write - 1] != p {
            out[write] = p
            write += 1
        }
        out.removeSubrange(write...)
        return out
    }

    static func isSortedUnique<A>(_ prefixes: [Prefix<A>]) -> Bool {
        var i = 1
        while i < prefixes.count {
            if !(prefixes[i - 1] < prefixes[i]) { return false }
            i += 1
        }
        return true
    }

    /// The list without prefixes contained in another one of the list (same addresses).
    ///
    /// In a sorted list a prefix is nested exactly when the last kept prefix reaches it: CIDR
    /// prefixes nest or are disjoint, and a container sorts before what it contains.
    /// - Complexity: O(n).
    public func withoutNested() -> ExportList {
        var copy = self
        copy.v4 = Self.outermost(v4)
        copy.v6 = Self.outermost(v6)
        return copy
    }

    static func outermost<A>(_ prefixes: [Prefix<A>]) -> [Prefix<A>] {
        var out: [Prefix<A>] = []
        out.reserveCapacity(prefixes.count)
        for p in prefixes {
            if let last = out.last, last.contains(p) { continue }
            out.append(p)
        }
        return out
    }

    /// The list with each `/0` replaced by its two halves (targets such as ipset's `hash:net`
    /// reject a zero length); same addresses.
    /// - Complexity: O(n).
    public func withoutZeroLength() -> ExportList {
        var copy = self
        copy.v4 = Self.splittingZero(v4)
        copy.v6 = Self.splittingZero(v6)
        return copy
    }

    static func splittingZero<A>(_ prefixes: [Prefix<A>]) -> [Prefix<A>] {
        // A /0 sorts first and holds every address, so its two halves are the whole list.
        guard prefixes.first?.length == 0 else { return prefixes }
        return [Prefix(unchecked: A(bits: 0), length: 1),
                Prefix(unchecked: A(bits: A.Bits(1) << A.Bits(A.bitWidth - 1)), length: 1)]
    }
}

/// Which address families an export covers.
public enum ExportFamilies: Sendable, Hashable {
    case both, ipv4, ipv6

    public var includesIPv4: Bool { self != .ipv6 }
    public var includesIPv6: Bool { self != .ipv4 }
}

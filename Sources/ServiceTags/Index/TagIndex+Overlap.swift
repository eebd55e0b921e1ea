extension TagIndex {
    /// One tag sharing addresses with a query prefix (`stag lookup --overlap`).
    public struct Overlap: Hashable, Sendable {
        public var tag: TagID
        /// How many addresses of the query the tag holds (each counted once, however many of the
        /// tag's prefixes hold it).
        public var addresses: AddressCount
    }

    /// Every tag with a prefix intersecting `prefix` (containing it or inside it), with the number
    /// of addresses they share; most overlap first, ties by name (byte order). An IPv4-mapped IPv6
    /// prefix is asked as its IPv4 prefix.
    ///
    /// Two prefixes intersect only by nesting, so a tag shares all of `prefix` when one of its
    /// prefixes contains it, else the union of its prefixes inside it.
    /// - Complexity: O(total prefixes) (a scan of every tag), plus the first read of a compiled
    ///   index's tags.
    public func overlaps(with prefix: IPPrefix) -> [Overlap] {
        Self.overlaps(of: tags, with: prefix)
    }

    /// `overlaps(with:)` over a list of tags (its positions are the `TagID`s).
    public static func overlaps(of tags: [ServiceTag], with prefix: IPPrefix) -> [Overlap] {
        var result: [Overlap] = []
        for (i, tag) in tags.enumerated() {
            let shared: AddressCount
            switch prefix.unmapped {
            case .v4(let q): shared = Self.shared(tag.ipv4, q)
            case .v6(let q): shared = Self.shared(tag.ipv6, q)
            }
            if shared != .zero { result.append(Overlap(tag: TagID(i), addresses: shared)) }
        }
        return result.sorted {
            $0.addresses != $1.addresses ? $0.addresses > $1.addresses
                : tags[Int($0.tag)].name.utf8.lexicographicallyPrecedes(tags[Int($1.tag)].name.utf8)
        }
    }

    private static func shared<A>(_ prefixes: [Prefix<A>], _ query: Prefix<A>) -> AddressCount {
        if prefixes.contains(where: { $0.contains(query) }) { return IPRange(query).addressCount }
        return PrefixSet(prefixes.filter { query.contains($0) }).addressCount
    }
}

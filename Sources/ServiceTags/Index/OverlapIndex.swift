/// Every tag's prefixes in address order, to answer many `stag lookup --overlap` queries without
/// scanning every tag each time.
///
/// Two prefixes intersect only by nesting, so the tags sharing addresses with a query `q` are
/// those with a prefix containing `q` (one of the `q.length + 1` prefixes masking `q`'s address,
/// each found by binary search) and those with prefixes inside `q` (one contiguous run of the
/// address order, starting after `q` itself).
///
/// Immutable after `init`; answers equal `TagIndex.overlaps(of:with:)` (`TagOverlapTests`).
public struct OverlapIndex: Sendable {
    private let names: [String]
    private let v4: [Entry<IPv4Address>]
    private let v6: [Entry<IPv6Address>]

    struct Entry<A: IPAddressFamily>: Sendable {
        var prefix: Prefix<A>
        var tag: TagID
    }

    /// - Complexity: O(P log P) for P prefix entries.
    public init(_ tags: [ServiceTag]) {
        names = tags.map(\.name)
        var v4: [Entry<IPv4Address>] = [], v6: [Entry<IPv6Address>] = []
        for (i, tag) in tags.enumerated() {
            for p in tag.ipv4 { v4.append(Entry(prefix: p, tag: TagID(i))) }
            for p in tag.ipv6 { v6.append(Entry(prefix: p, tag: TagID(i))) }
        }
        self.v4 = v4.sorted { ($0.prefix, $0.tag) < ($1.prefix, $1.tag) }
        self.v6 = v6.sorted { ($0.prefix, $0.tag) < ($1.prefix, $1.tag) }
    }

    /// As `TagIndex.overlaps(with:)`: most overlap first, ties by name.
    /// - Complexity: O(bitWidth · log P + k log k) for the k prefixes inside the query.
    public func overlaps(with prefix: IPPrefix) -> [TagIndex.Overlap] {
        var result: [TagIndex.Overlap]
        switch prefix.unmapped {
        case .v4(let q): result = Self.overlaps(v4, q)
        case .v6(let q): result = Self.overlaps(v6, q)
        }
        result.sort {
            $0.addresses != $1.addresses ? $0.addresses > $1.addresses : names[Int($0.tag)].utf8.lexicographicallyPrecedes(names[Int($1.tag)].utf8)
        }
        return result
    }

    /// The first position whose prefix is not below `p` in (address, length) order.
    private static func lowerBound<A>(_ entries: [Entry<A>], _ p: Prefix<A>) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].prefix < p { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private static func overlaps<A>(_ entries: [Entry<A>], _ q: Prefix<A>) -> [TagIndex.Overlap] {
        // Tags holding all of q: a prefix masking q's address at some length up to q's.
        var whole = Set<TagID>()
        for length in 0 ... Int(q.length) {
            let p = Prefix(masking: q.address, length: length)
            var i = lowerBound(entries, p)
            while i < entries.count && entries[i].prefix == p { whole.insert(entries[i].tag); i += 1 }
        }
        // Prefixes inside q: after q in the order, while their address is inside q. Within a tag
        // they arrive in address order, so a nested one follows the one holding it.
        var inside: [TagID: (last: Prefix<A>, count: AddressCount)] = [:]
        if Int(q.length) < A.bitWidth {
            var i = lowerBound(entries, Prefix(unchecked: q.address, length: Int(q.length) + 1))
            while i < entries.count && q.contains(entries[i].prefix.address) {
                let e = entries[i]
                i += 1
                if whole.contains(e.tag) { continue }
                if let seen = inside[e.tag], seen.last.contains(e.prefix) { continue }
                inside[e.tag] = (e.prefix, (inside[e.tag]?.count ?? .zero) + IPRange(e.prefix).addressCount)
            }
        }
        let size = IPRange(q).addressCount
        return whole.map { TagIndex.Overlap(tag: $0, addresses: size) } + inside.map { TagIndex.Overlap(tag: $0.key, addresses: $0.value.count) }
    }
}

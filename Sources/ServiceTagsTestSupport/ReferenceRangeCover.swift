/// Slow references that work over a whole address family, where a bitmap cannot.
public enum ReferenceRangeCover {
    /// The minimal exact CIDR cover of `first...last`, by walking the binary trie from `/0`.
    ///
    /// Same argument as `ReferenceBitmapSet.minimalCover()`: a block inside the range is one
    /// prefix, a block outside needs none, a straddling block is covered by its halves. Only blocks
    /// straddling an end of the range recurse, so this visits O(bitWidth) blocks.
    public static func prefixes<A: IPAddressFamily>(first: A, last: A) -> [Prefix<A>] {
        precondition(first <= last)
        var out: [Prefix<A>] = []
        func visit(_ block: Prefix<A>) {
            if block.last < first || block.first > last { return }
            if first <= block.first && block.last <= last { out.append(block); return }
            let childLength = Int(block.length) + 1
            let high = block.address.bits | (A.Bits(1) << (A.bitWidth - childLength))
            visit(Prefix(address: block.address, length: childLength)!)
            visit(Prefix(address: A(bits: high), length: childLength)!)
        }
        visit(Prefix(address: A(bits: 0), length: 0)!)
        return out
    }

    /// Membership by linear scan: whether any of `prefixes` holds `address`.
    public static func contains<A>(_ prefixes: [Prefix<A>], _ address: A) -> Bool {
        prefixes.contains { $0.contains(address) }
    }

    /// Every address where membership in any of `lists` can change: each prefix's first address
    /// and the address after its last (when there is one), plus address 0. Sorted, unique.
    ///
    /// Between two consecutive boundaries every list's membership is constant, so evaluating a
    /// predicate at each boundary describes any set built from the lists, over the whole family.
    public static func boundaries<A: IPAddressFamily>(_ lists: [[Prefix<A>]]) -> [A.Bits] {
        var points: Set<A.Bits> = [0]
        for list in lists {
            for p in list {
                points.insert(p.first.bits)
                if p.last.bits != A.Bits.max { points.insert(p.last.bits + 1) }
            }
        }
        return points.sorted()
    }

    /// The canonical range list of the set `{a : member(a)}`, given the boundaries of every input
    /// (`member` is evaluated once per elementary segment, at its first address).
    public static func ranges<A: IPAddressFamily>(
        boundaries: [A.Bits], where member: (A) -> Bool
    ) -> [IPRange<A>] {
        var out: [IPRange<A>] = []
        var runStart: A.Bits? = nil
        for (k, start) in boundaries.enumerated() {
            let end: A.Bits = k + 1 < boundaries.count ? boundaries[k + 1] - 1 : A.Bits.max
            if member(A(bits: start)) {
                if runStart == nil { runStart = start }
            } else if let s = runStart {
                out.append(IPRange(first: A(bits: s), last: A(bits: start - 1))!)
                runStart = nil
            }
            if k + 1 == boundaries.count, let s = runStart {
                out.append(IPRange(first: A(bits: s), last: A(bits: end))!)
            }
        }
        return out
    }
}

/// One week's edit to one tag's prefix list: add, remove, split or merge.
struct PrefixEdit<A: IPAddressFamily> {
    var removed: [Prefix<A>] = []
    var added: [Prefix<A>] = []
}

extension SplitMix64 {
    /// Applies one random edit to a sorted, overlap-free list and returns it; tries the four kinds in
    /// a random order and gives up (empty edit) if none applies.
    ///
    /// - add: a free neighbour of an existing prefix, same length (1 to 4 blocks further on);
    /// - remove: any prefix, unless it is the last;
    /// - split: a prefix into its two halves (a /23 preferred, as in the real files);
    /// - merge: two sibling prefixes into their parent.
    /// The list stays sorted and overlap-free.
    mutating func edit<A>(_ list: inout [Prefix<A>]) -> PrefixEdit<A> {
        var kinds = [0, 1, 2, 3]
        shuffle(&kinds)
        for kind in kinds {
            var e = PrefixEdit<A>()
            switch kind {
            case 0:
                guard let p = list.isEmpty ? nil : element(of: list), p.length > 0 else { continue }
                let size = A.Bits(1) << (A.bitWidth - Int(p.length))
                let (next, overflow) = p.address.bits.addingReportingOverflow(size * A.Bits(int(in: 1...4)))
                guard !overflow, let q = Prefix(address: A(bits: next), length: Int(p.length)),
                      !list.contains(where: { $0.overlaps(q) }) else { continue }
                e.added = [q]
            case 1:
                guard list.count >= 2 else { continue }
                e.removed = [element(of: list)]
            case 2:
                let splittable = list.filter { Int($0.length) < A.bitWidth }
                guard !splittable.isEmpty else { continue }
                let preferred = splittable.filter { $0.length == (A.bitWidth == 32 ? 23 : 47) }
                let p = element(of: preferred.isEmpty ? splittable : preferred)
                let half = A.Bits(1) << (A.bitWidth - Int(p.length) - 1)
                e.removed = [p]
                e.added = [Prefix(address: p.address, length: Int(p.length) + 1)!,
                           Prefix(address: A(bits: p.address.bits | half), length: Int(p.length) + 1)!]
            default:
                let pairs = list.indices.dropLast().filter { i in
                    let a = list[i], b = list[i + 1]
                    guard a.length == b.length, a.length > 0 else { return false }
                    return a.address.bits ^ b.address.bits == A.Bits(1) << (A.bitWidth - Int(a.length))
                }
                guard !pairs.isEmpty else { continue }
                let i = element(of: pairs)
                e.removed = [list[i], list[i + 1]]
                e.added = [Prefix(masking: list[i].address, length: Int(list[i].length) - 1)]
            }
            list.apply(e)
            return e
        }
        return PrefixEdit()
    }
}

extension Array {
    /// Removes `e.removed` where listed exactly, adds `e.added` where not yet listed, and re-sorts.
    mutating func apply<A>(_ e: PrefixEdit<A>) where Element == Prefix<A> {
        let gone = Set(e.removed)
        removeAll { gone.contains($0) }
        let present = Set(self)
        append(contentsOf: e.added.filter { !present.contains($0) })
        sort()
    }
}

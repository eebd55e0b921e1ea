extension PrefixTrie {
    /// The most specific stored prefix containing `address`, or `nil`.
    /// - Complexity: O(w) node visits in the worst case; O(log n) for the typical tag.
    @inlinable
    public func mostSpecific(containing address: A) -> Prefix<A>? {
        mostSpecific(bits: address.bits, maxLength: A.bitWidth)
    }

    /// The most specific stored prefix containing every address of `prefix`, or `nil`.
    /// - Complexity: as `mostSpecific(containing:)`.
    @inlinable
    public func mostSpecific(containing prefix: Prefix<A>) -> Prefix<A>? {
        mostSpecific(bits: prefix.address.bits, maxLength: Int(prefix.length))
    }

    /// Whether some stored prefix contains `address`.
    @inlinable public func contains(_ address: A) -> Bool { mostSpecific(containing: address) != nil }

    /// Walks from the root along `bits`, remembering the deepest stored node no longer than
    /// `maxLength` whose key matches.
    @inlinable
    func mostSpecific(bits: A.Bits, maxLength: Int) -> Prefix<A>? {
        let keys = _arena.keys, lengths = _arena.lengths, stored = _arena.stored, children = _arena.children
        var node = _root
        var best = -1
        let width = A.bitWidth
        while true {
            let length = Int(lengths[node])
            if length > maxLength || bits & A.mask(length: length) != keys[node] { break }
            if stored[node] { best = node }
            if length == width { break }
            let bit = A.field(bits, from: length, count: 1)
            let child = children[node &* 2 &+ bit]
            if child == 0 { break }
            node = Int(child)
        }
        return best < 0 ? nil : Prefix(unchecked: A(bits: keys[best]), length: Int(lengths[best]))
    }
}

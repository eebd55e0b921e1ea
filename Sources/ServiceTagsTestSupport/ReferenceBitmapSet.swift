/// A slow, obviously-correct address set over a small universe: one `Bool` per address.
///
/// The universe is one prefix of at most 2^20 addresses (e.g. `10.0.0.0/22` or `2001:db8::/118`);
/// address `a` is `bitmap[a - universe.first]`. Every operation loops over addresses on purpose:
/// this is the oracle the range-based `PrefixSet` is checked against, never the other way round.
public struct ReferenceBitmapSet<A: IPAddressFamily>: Equatable, CustomStringConvertible {
    public let universe: Prefix<A>
    public var bitmap: [Bool]

    /// The empty set over `universe`.
    public init(universe: Prefix<A>) {
        let hostBits = A.bitWidth - Int(universe.length)
        precondition(hostBits <= 20, "reference universe too large")
        self.universe = universe
        bitmap = Array(repeating: false, count: 1 << hostBits)
    }

    /// The set of every address of `prefixes`, which must lie inside `universe`.
    public init(universe: Prefix<A>, prefixes: some Sequence<Prefix<A>>) {
        self.init(universe: universe)
        for p in prefixes { insert(p) }
    }

    /// The set of every address of `ranges`, which must lie inside `universe`.
    public init(universe: Prefix<A>, ranges: some Sequence<IPRange<A>>) {
        self.init(universe: universe)
        for r in ranges { set(first: r.first, last: r.last, to: true) }
    }

    public func offset(_ a: A) -> Int {
        precondition(universe.contains(a), "\(a) outside the reference universe \(universe)")
        return Int(truncatingIfNeeded: a.bits - universe.first.bits)
    }

    public func address(_ offset: Int) -> A { A(bits: universe.first.bits + A.Bits(offset)) }

    public mutating func set(first: A, last: A, to value: Bool) {
        for i in offset(first)...offset(last) { bitmap[i] = value }
    }

    public mutating func insert(_ p: Prefix<A>) { set(first: p.first, last: p.last, to: true) }
    public mutating func remove(_ p: Prefix<A>) { set(first: p.first, last: p.last, to: false) }

    public func contains(_ a: A) -> Bool { universe.contains(a) && bitmap[offset(a)] }

    public var count: Int { bitmap.reduce(0) { $0 + ($1 ? 1 : 0) } }

    private func combined(_ other: Self, _ op: (Bool, Bool) -> Bool) -> Self {
        precondition(universe == other.universe)
        var out = self
        for i in bitmap.indices { out.bitmap[i] = op(bitmap[i], other.bitmap[i]) }
        return out
    }

    public func union(_ other: Self) -> Self { combined(other) { $0 || $1 } }
    public func intersection(_ other: Self) -> Self { combined(other) { $0 && $1 } }
    public func subtracting(_ other: Self) -> Self { combined(other) { $0 && !$1 } }
    public func symmetricDifference(_ other: Self) -> Self { combined(other) { $0 != $1 } }

    /// The universe minus this set.
    public func complement() -> Self {
        var out = self
        for i in bitmap.indices { out.bitmap[i].toggle() }
        return out
    }

    /// The runs, so a failed expectation prints a short line rather than 1,024 `Bool`s.
    public var description: String { "\(universe): \(runs)" }

    /// The maximal runs of set addresses, in order: the canonical range list.
    public var runs: [IPRange<A>] {
        var out: [IPRange<A>] = []
        var i = 0
        while i < bitmap.count {
            guard bitmap[i] else { i += 1; continue }
            var j = i
            while j + 1 < bitmap.count && bitmap[j + 1] { j += 1 }
            out.append(IPRange(first: address(i), last: address(j))!)
            i = j + 1
        }
        return out
    }

    /// The minimal exact CIDR cover, by walking the binary trie of the universe.
    ///
    /// A block fully set is one prefix; an empty block needs none; a mixed block cannot be covered
    /// by itself or anything larger (that would add addresses), so its cover is its two halves'
    /// covers. Hence the result is the unique minimal cover, in ascending order.
    public func minimalCover() -> [Prefix<A>] {
        var out: [Prefix<A>] = []
        func visit(_ start: Int, _ size: Int) {
            let block = bitmap[start..<start + size]
            if block.allSatisfy({ $0 }) {
                let length = A.bitWidth - size.trailingZeroBitCount
                out.append(Prefix(address: address(start), length: length)!)
            } else if block.contains(true) {
                visit(start, size / 2)
                visit(start + size / 2, size / 2)
            }
        }
        visit(0, bitmap.count)
        return out
    }
}

/// Set algebra as linear merges of two canonical range lists.
///
/// Each operation walks both sorted lists once with two cursors and appends to a fresh array through
/// `appendCoalescing`, which merges a range into the previous one when they touch, so results are
/// canonical by construction. None forms `x + 1` or `x - 1` past the family's bounds: every such
/// step is guarded by a comparison that proves a neighbour exists.
extension PrefixSet {
    /// Appends `range` to a list sorted by `first`, merging with the last element when they overlap
    /// or are adjacent.
    /// - Complexity: O(1) amortised.
    @inlinable static func appendCoalescing(_ range: IPRange<A>, to out: inout [IPRange<A>]) {
        if let previous = out.last, previous.last.bits == A.Bits.max || range.first.bits <= previous.last.bits &+ 1 {
            if range.last.bits > previous.last.bits {
                out[out.count &- 1] = IPRange(unchecked: previous.first.bits, range.last.bits)
            }
        } else {
            out.append(range)
        }
    }

    /// The addresses in either set.
    /// - Complexity: O(r + s) for r and s ranges.
    @inlinable public func union(_ other: PrefixSet<A>) -> PrefixSet<A> {
        if other.isEmpty { return self }
        if isEmpty { return other }
        let a = ranges, b = other.ranges
        var out: [IPRange<A>] = []
        out.reserveCapacity(a.count &+ b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].first.bits <= b[j].first.bits) {
                Self.appendCoalescing(a[i], to: &out)
                i &+= 1
            } else {
                Self.appendCoalescing(b[j], to: &out)
                j &+= 1
            }
        }
        return PrefixSet(canonical: out)
    }

    /// The addresses in both sets.
    ///
    /// Pieces are disjoint and non-adjacent without coalescing: two pieces inside one range of
    /// `self` are separated by a gap of `other`, and pieces in different ranges by a gap of `self`.
    /// - Complexity: O(r + s).
    @inlinable public func intersection(_ other: PrefixSet<A>) -> PrefixSet<A> {
        let a = ranges, b = other.ranges
        var out: [IPRange<A>] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let first = Swift.max(a[i].first.bits, b[j].first.bits)
            let last = Swift.min(a[i].last.bits, b[j].last.bits)
            if first <= last { out.append(IPRange(unchecked: first, last)) }
            // The range that ends first cannot meet anything further in the other list.
            if a[i].last.bits < b[j].last.bits { i &+= 1 } else { j &+= 1 }
        }
        return PrefixSet(canonical: out)
    }

    /// The addresses in this set and not in `other`.
    ///
    /// Each range of `self` is cut by the ranges of `other` that overlap it; the cursor into
    /// `other` never moves back, and stays on a range that runs past the current one because it
    /// may cut the next one too.
    /// - Complexity: O(r + s).
    @inlinable public func subtracting(_ other: PrefixSet<A>) -> PrefixSet<A> {
        if isEmpty || other.isEmpty { return self }
        let a = ranges, b = other.ranges
        var out: [IPRange<A>] = []
        out.reserveCapacity(a.count &+ b.count)
        var j = 0
        for range in a {
            var first = range.first.bits
            let last = range.last.bits
            while j < b.count && b[j].last.bits < first { j &+= 1 }
            var consumed = false
            while j < b.count && b[j].first.bits <= last {
                // b[j] overlaps first...last. Keep the part before it (b[j].first > first >= 0).
                if b[j].first.bits > first { out.append(IPRange(unchecked: first, b[j].first.bits &- 1)) }
                if b[j].last.bits >= last { consumed = true; break }
                first = b[j].last.bits &+ 1 // b[j].last < last <= max, so no overflow
                j &+= 1
            }
            if !consumed { out.append(IPRange(unchecked: first, last)) }
        }
        return PrefixSet(canonical: out)
    }

    /// The addresses in exactly one of the two sets.
    ///
    /// `(self - other) ∪ (other - self)`: the union re-coalesces pieces that touch across the two
    /// halves (`{0-5}` xor `{6-9}` is `{0-9}`).
    /// - Complexity: O(r + s).
    @inlinable public func symmetricDifference(_ other: PrefixSet<A>) -> PrefixSet<A> {
        subtracting(other).union(other.subtracting(self))
    }

    /// Every address of the family that is not in the set.
    /// - Complexity: O(r).
    @inlinable public func complement() -> PrefixSet<A> {
        var out: [IPRange<A>] = []
        out.reserveCapacity(ranges.count &+ 1)
        var next: A.Bits = 0   // the first address not yet accounted for
        var exhausted = false  // set once `next` would pass the family's last address
        for range in ranges {
            if range.first.bits > next { out.append(IPRange(unchecked: next, range.first.bits &- 1)) }
            if range.last.bits == A.Bits.max { exhausted = true; break }
            next = range.last.bits &+ 1
        }
        if !exhausted { out.append(IPRange(unchecked: next, A.Bits.max)) }
        return PrefixSet(canonical: out)
    }

    /// Whether every address of this set is in `other`.
    /// - Complexity: O(r + s).
    @inlinable public func isSubset(of other: PrefixSet<A>) -> Bool {
        var j = 0
        for range in ranges {
            // Canonical ranges are maximal runs, so `range` must fit inside one range of `other`.
            while j < other.ranges.count && other.ranges[j].last.bits < range.first.bits { j &+= 1 }
            guard j < other.ranges.count, other.ranges[j].contains(range) else { return false }
        }
        return true
    }

    /// Whether the two sets share no address.
    /// - Complexity: O(r + s).
    @inlinable public func isDisjoint(with other: PrefixSet<A>) -> Bool {
        let a = ranges, b = other.ranges
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i].overlaps(b[j]) { return false }
            if a[i].last.bits < b[j].last.bits { i &+= 1 } else { j &+= 1 }
        }
        return true
    }
}

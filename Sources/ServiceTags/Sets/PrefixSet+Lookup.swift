/// Membership by binary search over the sorted ranges.
extension PrefixSet {
    /// The index of the last range whose `first` is at or below `bits`, or `nil` if there is none.
    ///
    /// Because ranges are sorted and disjoint, that range is the only one that can hold `bits`.
    /// - Complexity: O(log r).
    @inlinable func rangeIndex(atOrBefore bits: A.Bits) -> Int? {
        // Invariant: ranges[..<low] start at or below `bits`, ranges[high...] start above it.
        var low = 0, high = ranges.count
        while low < high {
            let mid = low &+ (high &- low) / 2
            if ranges[mid].first.bits <= bits { low = mid &+ 1 } else { high = mid }
        }
        return low == 0 ? nil : low &- 1
    }

    /// Whether `address` is in the set.
    /// - Complexity: O(log r) for r ranges.
    @inlinable public func contains(_ address: A) -> Bool {
        guard let i = rangeIndex(atOrBefore: address.bits) else { return false }
        return address.bits <= ranges[i].last.bits
    }

    /// Whether every address of `range` is in the set.
    /// - Complexity: O(log r).
    @inlinable public func contains(_ range: IPRange<A>) -> Bool {
        guard let i = rangeIndex(atOrBefore: range.first.bits) else { return false }
        return range.last.bits <= ranges[i].last.bits
    }

    /// Whether every address of `prefix` is in the set.
    /// - Complexity: O(log r).
    @inlinable public func contains(_ prefix: Prefix<A>) -> Bool { contains(IPRange(prefix)) }

    /// Whether the set shares at least one address with `range`.
    /// - Complexity: O(log r).
    @inlinable public func overlaps(_ range: IPRange<A>) -> Bool {
        // Only the last range starting at or before range.last can overlap: every earlier one
        // ends before that one starts, so if that one ends below range.first, so do they.
        guard let i = rangeIndex(atOrBefore: range.last.bits) else { return false }
        return ranges[i].last.bits >= range.first.bits
    }

    /// Whether the set shares at least one address with `prefix`.
    /// - Complexity: O(log r).
    @inlinable public func overlaps(_ prefix: Prefix<A>) -> Bool { overlaps(IPRange(prefix)) }
}

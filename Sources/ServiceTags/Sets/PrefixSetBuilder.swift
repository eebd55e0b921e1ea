/// Accumulates additions and removals in order, then `finish()` yields the canonical `PrefixSet`.
///
/// Semantics are sequential, as if each call edited a set immediately: `add(a); remove(b); add(c)`
/// is `(a - b) ∪ c`. Work is batched instead (netipx's `IPSetBuilder`): additions are appended
/// unsorted to `pending`, removals to `removals`, and the two lists are folded into `base` only when
/// an addition follows a removal, or at the end. So a run of adds costs one sort, not one per add.
///
/// The builder is `~Copyable` and `finish()` consumes it, so it cannot be used after producing
/// its set, nor copied by accident.
public struct PrefixSetBuilder<A: IPAddressFamily>: ~Copyable {
    /// Canonical set of everything folded so far.
    @usableFromInline var base: [IPRange<A>] = []
    /// Additions since the last fold, in any order, possibly overlapping.
    @usableFromInline var pending: [IPRange<A>] = []
    /// Removals since the last fold; they apply to `base` and to every addition in `pending`.
    @usableFromInline var removals: [IPRange<A>] = []

    @inlinable public init() {}

    /// Starts from the addresses of `set`.
    @inlinable public init(_ set: PrefixSet<A>) { base = set.ranges }

    /// Adds every address of `range`.
    /// - Complexity: O(1) amortised, plus a fold after removals.
    @inlinable public mutating func add(_ range: IPRange<A>) {
        if !removals.isEmpty { fold() }
        pending.append(range)
    }

    /// Adds every address of `prefix`.
    @inlinable public mutating func add(_ prefix: Prefix<A>) { add(IPRange(prefix)) }

    /// Adds every address of `set`.
    /// - Complexity: O(s) amortised for s ranges, plus a fold after removals.
    @inlinable public mutating func add(_ set: PrefixSet<A>) {
        if !removals.isEmpty { fold() }
        pending.append(contentsOf: set.ranges)
    }

    /// Removes every address of `range` from what has been added so far.
    /// - Complexity: O(1) amortised.
    @inlinable public mutating func remove(_ range: IPRange<A>) { removals.append(range) }

    /// Removes every address of `prefix` from what has been added so far.
    @inlinable public mutating func remove(_ prefix: Prefix<A>) { remove(IPRange(prefix)) }

    /// Removes every address of `set` from what has been added so far.
    @inlinable public mutating func remove(_ set: PrefixSet<A>) { removals.append(contentsOf: set.ranges) }

    /// Folds `pending` and `removals` into `base`.
    /// - Complexity: O((b + p) log(b + p) + q log q) for b base, p pending and q removed ranges.
    @inlinable mutating func fold() {
        if !pending.isEmpty {
            pending.append(contentsOf: base)
            PrefixSet.normalize(&pending)
            swap(&base, &pending)
            pending.removeAll(keepingCapacity: true)
        }
        if !removals.isEmpty {
            let removed = PrefixSet(ranges: removals)
            base = PrefixSet(canonical: base).subtracting(removed).ranges
            removals.removeAll(keepingCapacity: true)
        }
    }

    /// The set of every address added and not removed afterwards.
    /// - Complexity: as one `fold()`.
    @inlinable public consuming func finish() -> PrefixSet<A> {
        fold()
        return PrefixSet(canonical: base)
    }
}

/// An immutable set of addresses of one family, stored as sorted disjoint ranges.
///
/// Storage (canonical form): `ranges` is sorted ascending, and consecutive ranges are disjoint and
/// not adjacent, i.e. `ranges[i].last + 1 < ranges[i + 1].first`. So each maximal run of addresses
/// is exactly one range, and two sets holding the same addresses have equal `ranges`: `==` and
/// hashing are set equality.
///
///     ranges: [10.0.0.0-10.0.0.255] [10.0.2.0-10.0.3.255] [10.1.0.0-10.1.0.0]
///                              gap >= 1 ^               gap >= 1 ^
///
/// Build one with `init(_:)` from prefixes, `init(ranges:)`, a `PrefixSetBuilder`, or the set
/// algebra (`union`, `intersection`, `subtracting`, `symmetricDifference`, `complement`), all linear
/// merges of the sorted range lists. Nothing here loops over individual addresses.
///
/// | Operation                              | Cost                                 |
/// |----------------------------------------|--------------------------------------|
/// | `init(_:)`, `init(ranges:)`            | O(n log n); O(n) if already sorted   |
/// | `contains(_:)` address, prefix, range  | O(log r)                             |
/// | `union`, `intersection`, ...           | O(r + s)                             |
/// | `prefixes()`                           | O(r * bitWidth)                      |
/// | `addressCount`                         | O(r)                                 |
public struct PrefixSet<A: IPAddressFamily>: Hashable, Sendable {
    /// The maximal runs of addresses, sorted, pairwise disjoint and non-adjacent (see above).
    public let ranges: [IPRange<A>]

    /// Trusted initialiser: `ranges` must already be canonical (checked in debug builds).
    @inlinable init(canonical ranges: [IPRange<A>]) {
        self.ranges = ranges
        assert(Self.isCanonical(ranges), "PrefixSet invariant: sorted, disjoint, non-adjacent ranges")
    }

    /// The empty set.
    @inlinable public init() { ranges = [] }

    /// The set of every address in `prefixes`; duplicates, nesting and any order are fine.
    /// - Complexity: O(n log n) for n prefixes, O(n) when they arrive sorted (as in service-tag
    ///   files).
    @inlinable public init(_ prefixes: some Sequence<Prefix<A>>) {
        var ranges: [IPRange<A>] = []
        ranges.reserveCapacity(prefixes.underestimatedCount)
        for prefix in prefixes { ranges.append(IPRange(prefix)) }
        Self.normalize(&ranges)
        self.ranges = ranges
    }

    /// The set of every address in `ranges`; overlaps, adjacency and any order are fine.
    /// - Complexity: O(n log n) for n ranges, O(n) when they arrive sorted.
    @inlinable public init(ranges: some Sequence<IPRange<A>>) {
        var ranges = Array(ranges)
        Self.normalize(&ranges)
        self.ranges = ranges
    }

    /// The set holding exactly the addresses of `range`.
    @inlinable public init(_ range: IPRange<A>) { ranges = [range] }

    /// The set holding exactly the addresses of `prefix`.
    @inlinable public init(_ prefix: Prefix<A>) { ranges = [IPRange(prefix)] }

    /// Every address of the family.
    @inlinable public static var all: PrefixSet<A> { PrefixSet(IPRange.all) }

    /// Whether the set holds no address.
    /// - Complexity: O(1).
    @inlinable public var isEmpty: Bool { ranges.isEmpty }

    /// The number of addresses; up to 2^128 for IPv6, which is why it is not a `UInt128`.
    /// - Complexity: O(r) for r ranges.
    @inlinable public var addressCount: AddressCount {
        var total = AddressCount.zero
        for range in ranges { total += range.addressCount }
        return total
    }

    /// The minimal exact CIDR cover (aggregation), sorted ascending.
    ///
    /// Because the ranges are maximal runs and a prefix is itself a run, every prefix of a minimal
    /// cover lies inside one range, so the cover is the concatenation of each range's minimal cover.
    /// The result is unique: no two of its prefixes nest or are mergeable siblings.
    ///
    /// - Complexity: O(p) for p output prefixes (at most `r * (2 * bitWidth - 2)`).
    @inlinable public func prefixes() -> [Prefix<A>] {
        var out: [Prefix<A>] = []
        out.reserveCapacity(ranges.count &* 2)
        for range in ranges { range.appendPrefixes(to: &out) }
        return out
    }
}

extension PrefixSet {
    /// Sorts `ranges` (unless already sorted) and merges overlapping or adjacent ones in place.
    ///
    /// Afterwards `ranges` is canonical. `last + 1` is never formed for `max`: a range ending at
    /// the family's last address absorbs everything after it.
    ///
    /// - Complexity: O(n log n), or O(n) when `ranges` is sorted by `first`; no allocation beyond
    ///   the sort's.
    @inlinable static func normalize(_ ranges: inout [IPRange<A>]) {
        guard ranges.count > 1 else { return }
        var sorted = true
        for i in 1..<ranges.count where ranges[i].first.bits < ranges[i &- 1].first.bits {
            sorted = false
            break
        }
        if !sorted { sortByFirst(&ranges) }

        var write = 0
        var first = ranges[0].first.bits, last = ranges[0].last.bits
        for i in 1..<ranges.count {
            let next = ranges[i]
            // Merge when `next` overlaps or touches: next.first <= last + 1, written without overflow.
            if last == A.Bits.max || next.first.bits <= last &+ 1 {
                if next.last.bits > last { last = next.last.bits }
            } else {
                ranges[write] = IPRange(unchecked: first, last)
                write &+= 1
                first = next.first.bits
                last = next.last.bits
            }
        }
        ranges[write] = IPRange(unchecked: first, last)
        ranges.removeSubrange((write &+ 1)...)
    }

    /// Whether `ranges` is in canonical form: sorted, disjoint and non-adjacent.
    /// - Complexity: O(n).
    @inlinable public static func isCanonical(_ ranges: [IPRange<A>]) -> Bool {
        for i in ranges.indices.dropFirst() {
            let previous = ranges[i &- 1].last.bits
            guard previous != A.Bits.max, previous &+ 1 < ranges[i].first.bits else { return false }
        }
        return true
    }
}

/// The minimal exact CIDR cover of `prefixes`: the fewest prefixes holding exactly the same
/// addresses, sorted ascending. Never adds an address; duplicates and nested prefixes disappear,
/// and adjacent siblings merge (`10.0.0.0/25` + `10.0.0.128/25` -> `10.0.0.0/24`).
///
/// - Complexity: O(n log n) for n prefixes, O(n) when they are sorted.
@inlinable
public func aggregate<A>(_ prefixes: some Sequence<Prefix<A>>) -> [Prefix<A>] {
    PrefixSet(prefixes).prefixes()
}

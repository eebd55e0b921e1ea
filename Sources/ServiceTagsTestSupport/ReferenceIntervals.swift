/// Address-space arithmetic on plain integer intervals, written without `PrefixSet` or `IPRange`
/// so it can judge them: sort, merge, binary-search membership, and elementary segments.
///
/// Both families use inclusive `UInt128` bounds (an IPv4 address is its 32-bit value), so the same
/// code serves both and the whole IPv6 space `0...2^128-1` fits.
public enum ReferenceIntervals {
    public typealias Interval = ClosedRange<UInt128>

    /// The addresses of `prefix` as an inclusive interval.
    public static func interval<A>(_ prefix: Prefix<A>) -> Interval {
        UInt128(truncatingIfNeeded: prefix.first.bits)...UInt128(truncatingIfNeeded: prefix.last.bits)
    }

    /// The union of `prefixes` as sorted, disjoint, non-adjacent intervals: sort by lower bound,
    /// then extend the current interval while the next one starts at most one past its end.
    public static func merged<A>(_ prefixes: [Prefix<A>]) -> [Interval] {
        let sorted = prefixes.map(interval).sorted { $0.lowerBound < $1.lowerBound }
        var out: [Interval] = []
        for next in sorted {
            if let last = out.last, last.upperBound == .max || next.lowerBound <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, next.upperBound)
            } else {
                out.append(next)
            }
        }
        return out
    }

    /// Whether `x` lies in one of `merged` (sorted, disjoint): binary search for the last interval
    /// starting at or before `x`.
    public static func contains(_ merged: [Interval], _ x: UInt128) -> Bool {
        var low = 0, high = merged.count
        while low < high {
            let mid = (low + high) / 2
            if merged[mid].lowerBound <= x { low = mid + 1 } else { high = mid }
        }
        return low > 0 && merged[low - 1].contains(x)
    }

    /// The addresses in `a` and not in `b`, as merged intervals. Every point where membership in
    /// `a` or `b` can change is a boundary; between two boundaries membership is constant, so one
    /// test per elementary segment decides it.
    public static func subtracting(_ a: [Interval], _ b: [Interval]) -> [Interval] {
        var points: Set<UInt128> = []
        for i in a + b {
            points.insert(i.lowerBound)
            if i.upperBound != .max { points.insert(i.upperBound + 1) }
        }
        let bounds = points.sorted()
        var out: [Interval] = []
        for (k, start) in bounds.enumerated() {
            guard contains(a, start) && !contains(b, start) else { continue }
            let end = k + 1 < bounds.count ? bounds[k + 1] - 1 : UInt128.max
            if let last = out.last, last.upperBound + 1 == start {
                out[out.count - 1] = last.lowerBound...end
            } else {
                out.append(start...end)
            }
        }
        return out
    }

    /// The union of two merged interval lists.
    public static func union(_ a: [Interval], _ b: [Interval]) -> [Interval] {
        var out: [Interval] = []
        for next in (a + b).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, last.upperBound == .max || next.lowerBound <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, next.upperBound)
            } else {
                out.append(next)
            }
        }
        return out
    }

    /// The minimal CIDR cover of merged intervals of family `A`, via the trie walk of
    /// `ReferenceRangeCover.prefixes(first:last:)`, interval by interval, ascending.
    public static func cover<A: IPAddressFamily>(_ intervals: [Interval], as _: A.Type = A.self) -> [Prefix<A>] {
        intervals.flatMap { i in
            ReferenceRangeCover.prefixes(first: A(bits: A.Bits(truncatingIfNeeded: i.lowerBound)),
                                         last: A(bits: A.Bits(truncatingIfNeeded: i.upperBound)))
        }
    }
}

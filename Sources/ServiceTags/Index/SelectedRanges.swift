/// The addresses inside a selection of index nodes, as sorted disjoint ranges: `grep --tag` asks
/// it for IPv6 addresses instead of probing the index.
///
/// Why: an IPv6 probe of the combined index walks a level per 8 bits past the root, and the
/// prefixes of a log's cloud addresses are /48 to /64 long, so a probe is five to seven dependent
/// cache misses in a table of several MiB. The ranges of one selection (a few thousand for
/// AzureCloud) fit in the L2 cache, and a binary search of them is a dozen cache hits.
///
/// Invariant: `firsts` and `lasts` have one entry per range; ranges are sorted, disjoint and not
/// adjacent (`lasts[k] + 1 < firsts[k + 1]`), and their union is exactly the union of the
/// selected nodes' prefixes.
public struct SelectedRanges<A: IPAddressFamily>: Sendable {
    @usableFromInline let firsts: [A.Bits]
    @usableFromInline let lasts: [A.Bits]

    /// The ranges of the prefixes of the nodes with `selected[node]`.
    /// - Precondition: `selected.count == index.prefixes.count`, closed downwards (see
    ///   `BlockVerdicts.init`): nodes without a selected parent are then disjoint and in order.
    /// - Complexity: O(nodes).
    public init(index: FamilyIndex<A>, selected: [Bool]) {
        precondition(selected.count == index.prefixes.count, "SelectedRanges: one flag per node")
        var firsts: [A.Bits] = [], lasts: [A.Bits] = []
        for node in 0 ..< selected.count where selected[node] {
            let parent = index.parent[node]
            if parent != FamilyIndex<A>.noParent && selected[Int(parent)] { continue }
            let prefix = index.prefixes[node]
            let first = prefix.first.bits, last = prefix.last.bits
            if let end = lasts.last, end != A.Bits.max, end &+ 1 == first {
                lasts[lasts.count - 1] = last  // adjacent: one range
            } else {
                firsts.append(first)
                lasts.append(last)
            }
        }
        self.firsts = firsts
        self.lasts = lasts
        #if DEBUG
        checkInvariants()
        #endif
    }

    public var count: Int { firsts.count }

    /// Whether `address` lies in one of the ranges.
    /// - Complexity: O(log ranges), branch-free steps over two arrays.
    @inlinable
    public func contains(_ address: A) -> Bool {
        let a = address.bits
        // Outside the span of all ranges (private and link-local addresses in logs): no search.
        guard let first = firsts.first, let last = lasts.last, first <= a && a <= last else { return false }
        return firsts.withUnsafeBufferPointer { firsts in
            // The last range starting at or before `a`: halve a window of `n` candidates from `low`.
            var low = 0, n = firsts.count
            while n > 1 {
                let half = n / 2
                if firsts[low &+ half] <= a { low &+= half }
                n &-= half
            }
            return lasts.withUnsafeBufferPointer { a <= $0[low] }
        }
    }

    /// Sorted, disjoint, not adjacent, each range in order.
    func checkInvariants() {
        for k in firsts.indices {
            precondition(firsts[k] <= lasts[k], "SelectedRanges: range \(k) ends before it starts")
            if k > 0 { precondition(lasts[k - 1] < firsts[k] && firsts[k] - lasts[k - 1] > 1, "SelectedRanges: ranges \(k - 1) and \(k) touch") }
        }
    }
}

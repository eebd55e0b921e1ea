/// Sorting ranges by their first address: a radix sort, because tag lists arrive unsorted only when
/// a caller shuffles them, and then a comparison sort of ~10,000 ranges costs most of a millisecond
/// while a few byte-wide counting passes cost a tenth of that.
extension PrefixSet {
    /// Below this many ranges the standard library's sort wins (no histogram to fill).
    @inlinable static var radixThreshold: Int { RadixSort.threshold }

    /// Sorts `ranges` ascending by `first` (ties in any order) with `RadixSort`.
    /// - Complexity: O(n * bitWidth / 8) time, one scratch copy of `ranges`.
    @inlinable static func sortByFirst(_ ranges: inout [IPRange<A>]) {
        RadixSort.sort(&ranges) { $0.first.bits }
    }
}

/// Sorting ranges by their first address: an LSD radix sort, because tag lists arrive unsorted
/// only when a caller shuffles them, and then a comparison sort of ~10,000 ranges costs most of a
/// millisecond while a few byte-wide counting passes cost a tenth of that.
extension PrefixSet {
    /// Below this many ranges the standard library's sort wins (no histogram to fill).
    @inlinable static var radixThreshold: Int { 128 }

    /// Sorts `ranges` ascending by `first` (ties in any order).
    ///
    /// One histogram pass counts every byte of every key (`bitWidth / 8` tables of 256 counters),
    /// then one stable scatter pass per byte, least significant first, skips every byte that all
    /// keys share: IPv6 service-tag prefixes end in 64 or more zero bits, so half the passes go.
    ///
    ///     keys (first byte shown last):  0a.00.01.00  0a.00.00.00  0b.00.00.00
    ///     byte 0: all 00        -> skip
    ///     byte 1: 01, 00, 00    -> 0a.00.00.00  0b.00.00.00  0a.00.01.00
    ///     byte 2: all 00        -> skip
    ///     byte 3: 0a, 0b, 0a    -> 0a.00.00.00  0a.00.01.00  0b.00.00.00
    ///
    /// - Complexity: O(n * bitWidth / 8) time, one scratch copy of `ranges` and the count tables.
    @inlinable static func sortByFirst(_ ranges: inout [IPRange<A>]) {
        let n = ranges.count
        guard n > radixThreshold else {
            ranges.sort { $0.first.bits < $1.first.bits }
            return
        }
        let digits = A.bitWidth / 8
        var counts = [Int](repeating: 0, count: digits &* 256)
        for range in ranges {
            var key = range.first.bits
            for d in 0..<digits {
                counts[d &* 256 &+ Int(UInt8(truncatingIfNeeded: key))] &+= 1
                key >>= 8
            }
        }
        var scratch = ranges
        var inScratch = false // whether the latest order lives in `scratch`
        var offsets = [Int](repeating: 0, count: 256)
        let sample = ranges[0].first.bits
        for d in 0..<digits {
            let shift = d &* 8, base = d &* 256
            if counts[base &+ Int(UInt8(truncatingIfNeeded: sample >> shift))] == n { continue }
            var total = 0
            for k in 0..<256 {
                offsets[k] = total
                total &+= counts[base &+ k]
            }
            if inScratch {
                scatter(scratch, into: &ranges, shift: shift, offsets: &offsets)
            } else {
                scatter(ranges, into: &scratch, shift: shift, offsets: &offsets)
            }
            inScratch.toggle()
        }
        if inScratch { swap(&ranges, &scratch) }
    }

    /// One stable counting-sort pass on the byte at `shift`.
    @inlinable static func scatter(
        _ source: [IPRange<A>], into destination: inout [IPRange<A>], shift: Int, offsets: inout [Int]
    ) {
        for range in source {
            let k = Int(UInt8(truncatingIfNeeded: range.first.bits >> shift))
            destination[offsets[k]] = range
            offsets[k] &+= 1
        }
    }
}

/// A stable LSD radix sort on a fixed-width unsigned key, shared by the prefix-set algebra and the
/// index builder: for the tens of thousands of prefixes in a file, a few byte-wide counting passes
/// cost a fraction of a comparison sort.
///
/// One histogram pass counts every byte of every key (`K.bitWidth / 8` tables of 256 counters),
/// then one stable scatter pass per byte, least significant first, skips every byte that all keys
/// share: IPv6 service-tag prefixes end in 64 or more zero bits, so half the passes go.
///
///     keys (first byte shown last):  0a.00.01.00  0a.00.00.00  0b.00.00.00
///     byte 0: all 00        -> skip
///     byte 1: 01, 00, 00    -> 0a.00.00.00  0b.00.00.00  0a.00.01.00
///     byte 2: all 00        -> skip
///     byte 3: 0a, 0b, 0a    -> 0a.00.00.00  0a.00.01.00  0b.00.00.00
///
/// Stability is what lets callers sort by a compound key with successive calls, least significant
/// key first (by length, then by address).
public enum RadixSort {
    /// Below this many elements the standard library's (stable) sort wins: no histogram to fill.
    @inlinable static var threshold: Int { 128 }

    /// Sorts `elements` ascending by `key`, keeping the order of equal keys.
    /// - Complexity: O(n · K.bitWidth / 8) time, one scratch copy of `elements`.
    @inlinable
    public static func sort<E, K: FixedWidthInteger & UnsignedInteger>(_ elements: inout [E], by key: (E) -> K) {
        let n = elements.count
        guard n > threshold else {
            // The standard library's sort is a stable merge sort.
            elements.sort { key($0) < key($1) }
            return
        }
        let digits = K.bitWidth / 8
        var counts = [Int](repeating: 0, count: digits &* 256)
        for e in elements {
            var k = key(e)
            for d in 0 ..< digits {
                counts[d &* 256 &+ Int(UInt8(truncatingIfNeeded: k))] &+= 1
                k >>= 8
            }
        }
        var scratch = elements
        var inScratch = false // whether the latest order lives in `scratch`
        var offsets = [Int](repeating: 0, count: 256)
        let sample = key(elements[0])
        for d in 0 ..< digits {
            let shift = d &* 8, base = d &* 256
            if counts[base &+ Int(UInt8(truncatingIfNeeded: sample >> shift))] == n { continue }
            var total = 0
            for b in 0 ..< 256 {
                offsets[b] = total
                total &+= counts[base &+ b]
            }
            if inScratch {
                scatter(scratch, into: &elements, shift: shift, offsets: &offsets, key: key)
            } else {
                scatter(elements, into: &scratch, shift: shift, offsets: &offsets, key: key)
            }
            inScratch.toggle()
        }
        if inScratch { swap(&elements, &scratch) }
    }

    /// One stable counting-sort pass on the byte at `shift`.
    @inlinable
    static func scatter<E, K: FixedWidthInteger>(_ source: [E], into destination: inout [E], shift: Int,
                                                 offsets: inout [Int], key: (E) -> K) {
        for e in source {
            let b = Int(UInt8(truncatingIfNeeded: key(e) >> shift))
            destination[offsets[b]] = e
            offsets[b] &+= 1
        }
    }
}

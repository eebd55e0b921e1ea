/// Content-defined chunking: where a sorted list too long for one object is cut, and what each
/// piece is called.
///
/// Chunks are cut at *anchors*, prefixes whose hash falls below a threshold, never at fixed counts.
/// A prefix's anchor status depends on that prefix alone, so adding or removing one prefix moves at
/// most one cut: a non-anchor changes only the chunk it lands in, an anchor splits one chunk in two
/// (or merges two). Chunks are named after their first prefix's hash (the leading chunk, before the
/// first anchor, has a fixed label), so untouched chunks keep their names and contents week to week:
///
///     prefixes:  a  b  C  d  e  F  g        capitals are anchors
///     chunks:   [a  b][C  d  e][F  g]       head, "C", "F"
///     insert x: [a  b][C  d  x  e][F  g]    only "C" changes
///     insert Y: [a  b][C  d][Y  e][F  g]    "C" shrinks, "Y" is new: two chunks
///
/// Anchors are drawn so runs average half the limit. A run longer than the limit (probability
/// about e^-2 per run) is cut again at the anchors of a level where anchors are twice as frequent,
/// recursively; at the last level every prefix is an anchor, so every chunk fits. Such a split is
/// content-defined too, so its effect stays inside that run.
///
/// Hashes are SplitMix64's finaliser over the prefix bits, fixed across platforms and runs (never
/// Swift's per-process `Hasher`).
public enum ExportChunking {
    /// The label of the chunk before the first anchor.
    public static let headLabel: UInt16 = 0

    /// SplitMix64's output function: a bijective 64-bit mixer.
    @inlinable public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The hash of one prefix: its bits, folded to 64, with the length and family mixed in.
    @inlinable public static func hash<A>(_ prefix: Prefix<A>) -> UInt64 {
        let bits = UInt128(prefix.address.bits)
        let folded = UInt64(truncatingIfNeeded: bits >> 64) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: bits)
        let tag = UInt64(prefix.length) | (A.isIPv4 ? 0x100 : 0x200)
        return mix(mix(folded) ^ tag)
    }

    /// One chunk: `start..<end` in the hashed list, and its label.
    public struct Chunk: Hashable, Sendable {
        public var start: Int
        public var end: Int
        public var label: UInt16
    }

    /// Cuts a list (given as the hashes of its elements, in order) into chunks of at most `limit`.
    ///
    /// One chunk when the list fits. Labels are unique within the result: on a collision the later
    /// chunk takes the next free value, so names never clash.
    ///
    /// - Complexity: O(n log limit) time, O(n / limit + log limit) extra space.
    public static func chunks(hashes: [UInt64], limit: Int) -> [Chunk] {
        precondition(limit >= 1)
        let n = hashes.count
        if n <= limit { return [Chunk(start: 0, end: n, label: headLabel)] }
        let expected = max(1, limit / 2)
        var cuts: [Int] = []
        split(hashes, 0, n, period: expected, limit: limit, into: &cuts)
        var out: [Chunk] = []
        out.reserveCapacity(cuts.count)
        var used = Set<UInt16>()
        for (k, start) in cuts.enumerated() {
            let end = k + 1 < cuts.count ? cuts[k + 1] : n
            var label = start == 0 && !isAnchor(hashes[0], period: expected) ? headLabel : UInt16(truncatingIfNeeded: hashes[start])
            while !used.insert(label).inserted { label &+= 1 }
            out.append(Chunk(start: start, end: end, label: label))
        }
        return out
    }

    /// Whether `hash` is an anchor for runs of mean length `period`: `hash <= max / period`, so the
    /// test uses the high bits and the label (the low 16 bits) stays independent of it.
    @inlinable static func isAnchor(_ hash: UInt64, period: Int) -> Bool {
        period <= 1 || hash <= UInt64.max / UInt64(period)
    }

    /// Appends the chunk starts of `start..<end`: `start`, then every anchor for `period`; runs still
    /// longer than `limit` are split again with half the period.
    static func split(_ hashes: [UInt64], _ start: Int, _ end: Int, period: Int, limit: Int, into cuts: inout [Int]) {
        var runStart = start
        var i = start + 1
        while i <= end {
            if i == end || isAnchor(hashes[i], period: period) {
                if i - runStart > limit {
                    split(hashes, runStart, i, period: period / 2, limit: limit, into: &cuts)
                } else {
                    cuts.append(runStart)
                }
                runStart = i
            }
            i += 1
        }
    }
}

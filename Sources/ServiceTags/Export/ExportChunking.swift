/// Content-defined chunking: where a sorted list too long for one object is cut, and what each
/// piece is called.
///
/// Each chunk takes at least `minimumFill` (60% of the limit) entries and ends before the prefix
/// of least hash among the next 40%: a cut depends on the hashes of that window, never on a count
/// past the minimum, so an edit changes the chunk it lands in and, only when it moves a cut, the
/// following chunks until both lists cut at the same prefix again (two overlapping windows almost
/// always share their least hash, so that is usually the next chunk). Chunks are named after
/// their first prefix's hash (the first chunk has a fixed label), so untouched chunks keep their
/// names and contents week to week:
///
///     prefixes:  a  b  C  d  e  F  g        capitals: least hash of their chunk's window
///     chunks:   [a  b][C  d  e][F  g]       head, "C", "F"
///     insert x: [a  b][C  d  x  e][F  g]    only "C" changes
///
/// Chunks hold 80% of the limit on average, so a list needs about 1.25 times the minimum number
/// of objects (`ceil(n / limit)`); that an unlucky list needs at most 1.5 times is guaranteed by
/// the fallbacks in `chunks`. (The cuts used to be anchors of mean spacing half the limit, which
/// gave twice the minimum: 47 PowerShell rules for AzureCloud's 13,080 entries where 14 would do.)
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

    /// The least fill of every chunk but the last: 60% of the limit, so a list of n entries needs
    /// at most about n / (0.6 limit) + 1 chunks before the fallbacks below.
    @inlinable public static func minimumFill(limit: Int) -> Int { max(1, (limit * 3 + 4) / 5) }

    /// Cuts a list (given as the hashes of its elements, in order) into chunks of at most `limit`.
    ///
    /// One chunk when the list fits. Otherwise `contentCuts`, then two fallbacks that keep the
    /// count at most 1.5 times the minimum (`ceil(n / limit)`) should the hashes fall badly:
    /// merging the smallest adjacent pairs that fit, then `ceil(n / limit)` even chunks. Every
    /// chunk but the last holds at least a quarter of the limit (60% from the cuts; merges only
    /// grow chunks; even chunks hold more than half). Labels are unique within the result: on a
    /// collision the later chunk takes the next free value, so names never clash.
    ///
    /// - Complexity: O(n) time, O(n / limit) extra space (O(c^2) for the merge fallback over c
    ///   chunks, which the tests never see on random data).
    public static func chunks(hashes: [UInt64], limit: Int) -> [Chunk] {
        precondition(limit >= 1)
        let n = hashes.count
        if n <= limit { return [Chunk(start: 0, end: n, label: headLabel)] }
        let minimum = (n + limit - 1) / limit
        let bound = minimum * 3 / 2
        var cuts = contentCuts(hashes, limit: limit)
        if cuts.count > bound { cuts = merged(cuts, count: n, limit: limit, bound: bound) }
        if cuts.count > bound { cuts = (0..<minimum).map { $0 * n / minimum } }
        var out: [Chunk] = []
        out.reserveCapacity(cuts.count)
        var used = Set<UInt16>()
        for (k, start) in cuts.enumerated() {
            let end = k + 1 < cuts.count ? cuts[k + 1] : n
            // The first chunk keeps the fixed label, so its name survives a new first element.
            var label = k == 0 ? headLabel : UInt16(truncatingIfNeeded: hashes[start])
            while !used.insert(label).inserted { label &+= 1 }
            out.append(Chunk(start: start, end: end, label: label))
        }
        return out
    }

    /// The chunk starts the hashes give: 0, then each chunk's end, the element of least hash
    /// (the first of equal ones) among positions `start + minimumFill ... start + limit`.
    /// - Complexity: O(n): each chunk scans its window of 40% of the limit once.
    static func contentCuts(_ hashes: [UInt64], limit: Int) -> [Int] {
        let n = hashes.count, fill = minimumFill(limit: limit)
        var cuts = [0]
        var start = 0
        while n - start > limit {
            // A cut at i ends the chunk before element i: i in lo...hi keeps it within the bounds,
            // and hi < n because more than `limit` entries remain.
            let lo = start + fill, hi = start + limit
            var cut = lo
            for i in stride(from: lo + 1, through: hi, by: 1) where hashes[i] < hashes[cut] { cut = i }
            cuts.append(cut)
            start = cut
        }
        return cuts
    }

    /// `cuts` with the adjacent chunks of smallest combined size merged, leftmost first, while
    /// more than `bound` chunks remain and a pair fits in `limit`.
    static func merged(_ cuts: [Int], count n: Int, limit: Int, bound: Int) -> [Int] {
        var cuts = cuts
        while cuts.count > bound {
            var best = -1, bestSize = Int.max
            for k in 1..<cuts.count {
                let size = (k + 1 < cuts.count ? cuts[k + 1] : n) - cuts[k - 1]
                if size <= limit && size < bestSize { best = k; bestSize = size }
            }
            if best < 0 { break }
            cuts.remove(at: best)
        }
        return cuts
    }
}

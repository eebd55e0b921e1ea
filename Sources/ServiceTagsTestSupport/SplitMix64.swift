/// A tiny seeded random number generator (Steele, Lea and Flood's SplitMix64).
///
/// Same seed, same sequence, on every platform and Swift version: tests and generators must never
/// use `SystemRandomNumberGenerator` or iterate a `Set`/`Dictionary` (hash seeds vary per process).
/// Not cryptographic; only for reproducible test data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The whole state: a Weyl sequence advanced by the golden-ratio increment.
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for a sub-task, so adding draws in one part of a generator does not
    /// shift every value drawn after it in another.
    public mutating func fork() -> SplitMix64 { SplitMix64(seed: next()) }

    /// `true` with probability `p` (0...1).
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }

    /// A uniform `Int` in `range`; the standard library's `Int.random(in:using:)` is not documented
    /// to be stable across versions, this is.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        // Lemire's multiply-high: unbiased enough for test data, and total for every range.
        let width = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound) &+ 1
        if width == 0 { return Int(truncatingIfNeeded: next()) }   // the full 64-bit range
        return range.lowerBound &+ Int(truncatingIfNeeded: next().multipliedFullWidth(by: width).high)
    }

    /// A uniform `Int` in `range` (must not be empty).
    public mutating func int(in range: Range<Int>) -> Int { int(in: range.lowerBound...(range.upperBound - 1)) }

    /// A uniformly chosen element (the collection must not be empty).
    public mutating func element<C: RandomAccessCollection>(of c: C) -> C.Element {
        c[c.index(c.startIndex, offsetBy: int(in: 0..<c.count))]
    }

    /// An index drawn with probability proportional to `weights[i]` (at least one must be positive).
    public mutating func weightedIndex(_ weights: [Int]) -> Int {
        var r = int(in: 0..<weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// A stable Fisher-Yates shuffle (the standard library's `shuffle(using:)` may change algorithm).
    public mutating func shuffle<T>(_ a: inout [T]) {
        if a.count < 2 { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(in: 0...i)) }
    }
}

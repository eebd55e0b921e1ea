/// Range -> the minimal list of CIDR prefixes covering it exactly (RFC 4632 section 3.1 aggregation).
///
/// Greedy from the left: at each step emit the largest prefix that starts at the current address and
/// ends inside the range, then continue after it. Its host-bit count `k` is the smaller of
///
/// * alignment: a prefix with `k` host bits must start at a multiple of 2^k, so `k <= tz(first)`,
///   the trailing zero count of the current address (`bitWidth` for address 0);
/// * size: the prefix must end by `last`, so 2^k - 1 <= `last - first`, i.e. `k` is the number of
///   significant bits of `last - first + 1` minus one, computed as `bitWidth - lzc(d + 1) - 1` with
///   `d = last - first`; when `d + 1` overflows (the full range `0...max`), `k = bitWidth`.
///
/// Worked example, `10.0.0.1-10.0.0.6` (last octets only, `d` is `last - first`):
///
///     first  binary  tz  d  d+1  size-k  k  emit          block last
///     1      001     0   5  110  2       0  10.0.0.1/32   1
///     2      010     1   4  101  2       1  10.0.0.2/31   3
///     4      100     2   2  011  1       1  10.0.0.4/31   5
///     6      110     1   0  001  0       0  10.0.0.6/32   6 == last, stop
///
/// And `0.0.0.0-255.255.255.255`: tz(0) = 32 and `d + 1` overflows, so k = 32: `0.0.0.0/0`, stop.
///
/// Why it is minimal: every prefix inside the range that covers the current address `first` must
/// start exactly at `first` (the addresses before it are already covered or outside the range), and
/// the chosen one contains every other such candidate, so no cover can do better at this step. Why it
/// never overflows: the next start is `blockLast + 1`, computed only when `blockLast < last <= max`.
extension IPRange {
    /// Calls `body` with each prefix of the minimal exact CIDR cover, in ascending order.
    ///
    /// - Complexity: O(p), where p (at most `2 * bitWidth - 2`) is the number of prefixes; no
    ///   allocation.
    @inlinable
    public func forEachPrefix<E: Error>(_ body: (Prefix<A>) throws(E) -> Void) throws(E) {
        let width = A.bitWidth
        let last = self.last.bits
        var first = self.first.bits
        while true {
            let d = last &- first
            let (sizeNext, full) = d.addingReportingOverflow(1)
            let sizeBits = full ? width : width &- sizeNext.leadingZeroBitCount &- 1
            let hostBits = Swift.min(first.trailingZeroBitCount, sizeBits)
            let length = width &- hostBits
            try body(Prefix(unchecked: A(bits: first), length: length))
            let blockLast = first | ~A.mask(length: length)
            if blockLast == last { return }
            assert(blockLast < last, "a block never passes the range's last address")
            first = blockLast &+ 1
        }
    }

    /// Appends the minimal exact CIDR cover to `out`, in ascending order.
    /// - Complexity: O(p) for p prefixes, amortised.
    @inlinable
    public func appendPrefixes(to out: inout [Prefix<A>]) {
        forEachPrefix { out.append($0) }
    }

    /// The minimal list of prefixes covering exactly this range, in ascending order.
    ///
    /// `10.0.0.1-10.0.0.6` gives `10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6/32`; `IPRange.all`
    /// gives the single `/0`.
    ///
    /// - Complexity: O(p) for p prefixes (at most `2 * bitWidth - 2`).
    @inlinable
    public func prefixes() -> [Prefix<A>] {
        var out: [Prefix<A>] = []
        appendPrefixes(to: &out)
        return out
    }
}

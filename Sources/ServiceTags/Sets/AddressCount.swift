/// An exact number of addresses, wide enough for the whole IPv6 space.
///
/// The IPv6 `/0` holds 2^128 addresses, one more than `UInt128.max`, so a plain `UInt128` cannot
/// count every set. This is a 192-bit unsigned value `high * 2^128 + low`; sets only ever produce
/// values up to 2^128 (one family) or 2^128 + 2^32 (an `IPSet` with both), so `high` is 0 or 1 in
/// practice and arithmetic traps only on a sum beyond 2^192, which no set can reach.
///
/// Use `exactValue` when the count fits in `UInt128` (every IPv4 count and every IPv6 count except
/// the full space), `doubleValue` for ratios, and `description` for the exact decimal text.
public struct AddressCount: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    /// Multiples of 2^128.
    public let high: UInt64
    /// The value modulo 2^128.
    public let low: UInt128

    @inlinable public init(high: UInt64, low: UInt128) {
        self.high = high
        self.low = low
    }

    @inlinable public init(_ value: UInt128) { self.init(high: 0, low: value) }

    public static let zero = AddressCount(0)
    /// 2^32, the size of the IPv4 space.
    public static let ipv4Space = AddressCount(1 << 32)
    /// 2^128, the size of the IPv6 space: the value that does not fit in `UInt128`.
    public static let ipv6Space = AddressCount(high: 1, low: 0)

    /// The count of the inclusive range `first...last` of a family's bits.
    ///
    /// `last - first + 1` overflows only for the full range `0...max` of `UInt128`, which is exactly
    /// where the carry into `high` is needed.
    @inlinable
    public static func rangeSize<B: FixedWidthInteger & UnsignedInteger>(first: B, last: B) -> AddressCount {
        assert(first <= last)
        let (sum, carry) = UInt128(last &- first).addingReportingOverflow(1)
        return AddressCount(high: carry ? 1 : 0, low: sum)
    }

    /// The value if it fits in `UInt128`, else `nil` (only for counts of 2^128 or more).
    @inlinable public var exactValue: UInt128? { high == 0 ? low : nil }

    /// The nearest `Double`: good for percentages and log scales, not for equality.
    public var doubleValue: Double { Double(high) * 0x1p128 + Double(low) }

    @inlinable public static func + (a: AddressCount, b: AddressCount) -> AddressCount {
        let (low, carry) = a.low.addingReportingOverflow(b.low)
        return AddressCount(high: a.high + b.high + (carry ? 1 : 0), low: low)
    }

    @inlinable public static func += (a: inout AddressCount, b: AddressCount) { a = a + b }

    @inlinable public static func < (a: AddressCount, b: AddressCount) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// The exact decimal value, e.g. `340282366920938463463374607431768211456` for `ipv6Space`.
    ///
    /// Long division of the 192-bit value by 10^19 (the largest power of ten in a `UInt64`), one
    /// 64-bit limb at a time, so each step is a native 128-by-64-bit division.
    public var description: String {
        if high == 0 { return String(low) }
        var limbs: [UInt64] = [high, UInt64(truncatingIfNeeded: low >> 64), UInt64(truncatingIfNeeded: low)]
        let chunk: UInt64 = 10_000_000_000_000_000_000
        var groups: [UInt64] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in limbs.indices {
                let (q, r) = chunk.dividingFullWidth((high: remainder, low: limbs[i]))
                limbs[i] = q
                remainder = r
            }
            groups.append(remainder)
        }
        var text = String(groups.removeLast())
        for group in groups.reversed() {
            let digits = String(group)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}

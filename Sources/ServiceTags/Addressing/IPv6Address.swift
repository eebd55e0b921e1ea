/// An IPv6 address: a `UInt128`, first group in the most significant 16 bits.
///
/// Zones (`fe80::1%eth0`) are not represented: service tags never carry them and the parser rejects them.
public struct IPv6Address: IPAddressFamily {
    public var bits: UInt128
    @inlinable public init(bits: UInt128) { self.bits = bits }
    public static var bitWidth: Int { 128 }
    public static var isIPv4: Bool { false }

    @inlinable @inline(__always)
    public static func mask(length: Int) -> UInt128 {
        // Shifting by the full width is not a no-op with masking shifts, hence the special case.
        length == 0 ? 0 : ~0 &<< UInt128(_low: UInt64(truncatingIfNeeded: 128 &- length), _high: 0)
    }
    @inlinable @inline(__always)
    public static func shiftRight(_ bits: UInt128, _ n: Int) -> UInt128 {
        bits &>> UInt128(_low: UInt64(truncatingIfNeeded: n), _high: 0)
    }
    @inlinable @inline(__always)
    public static func low64(_ bits: UInt128) -> UInt64 { bits._low }

    /// The IPv4 address this one maps, if it is in `::ffff:0:0/96` (RFC 4291 section 2.5.5.2).
    @inlinable public var unmappedIPv4: IPv4Address? {
        bits >> 32 == 0xFFFF ? IPv4Address(bits: UInt32(truncatingIfNeeded: bits)) : nil
    }

    /// `::ffff:a.b.c.d` for an IPv4 address.
    @inlinable public init(mapping v4: IPv4Address) { bits = 0xFFFF << 32 | UInt128(v4.bits) }

    /// The 16-bit group at `index` (0 = leftmost).
    @inlinable public func group(_ index: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * index))
    }

    /// Appends the RFC 5952 form: lower case, no leading zeros, the longest run of two or more zero
    /// groups (the first such run on a tie) as `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d`.
    public func write(to out: inout [UInt8]) {
        if let v4 = unmappedIPv4 {
            out.append(contentsOf: Array("::ffff:".utf8))
            v4.write(to: &out)
            return
        }
        var bestStart = -1, bestLength = 1, runStart = -1
        for i in 0...8 {
            if i < 8 && group(i) == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        var i = 0
        while i < 8 {
            if i == bestStart {
                out.append(UInt8(ascii: ":"))
                if i == 0 { out.append(UInt8(ascii: ":")) }
                i += bestLength
                continue
            }
            Self.appendHex(group(i), to: &out)
            if i < 7 { out.append(UInt8(ascii: ":")) }
            i += 1
        }
    }

    private static func appendHex(_ value: UInt16, to out: inout [UInt8]) {
        var started = false
        for shift in stride(from: 12, through: 0, by: -4) {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 0xF
            if nibble != 0 || started || shift == 0 {
                // Lower-case hex digit, computed: a digits table here was an allocation per group.
                out.append(nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble)
                started = true
            }
        }
    }
}

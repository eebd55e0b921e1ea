/// An IPv4 address: a `UInt32` in host order, `a.b.c.d` = `a << 24 | b << 16 | c << 8 | d`.
///
/// Every `UInt32` is a valid address, so there is no invalid state to guard. 4 bytes, trivially copyable.
public struct IPv4Address: IPAddressFamily {
    public var bits: UInt32
    @inlinable public init(bits: UInt32) { self.bits = bits }
    @inlinable public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        bits = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
    public static var bitWidth: Int { 32 }
    public static var isIPv4: Bool { true }

    @inlinable @inline(__always)
    public static func mask(length: Int) -> UInt32 {
        // Shifting by the full width is not a no-op with masking shifts, hence the special case.
        length == 0 ? 0 : ~0 &<< UInt32(truncatingIfNeeded: 32 &- length)
    }
    @inlinable @inline(__always)
    public static func shiftRight(_ bits: UInt32, _ n: Int) -> UInt32 { bits &>> UInt32(truncatingIfNeeded: n) }
    @inlinable @inline(__always)
    public static func low64(_ bits: UInt32) -> UInt64 { UInt64(bits) }

    /// Appends the dotted quad, e.g. `20.62.130.5`.
    public func write(to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            let octet = UInt8(truncatingIfNeeded: bits >> UInt32(shift))
            if octet >= 100 { out.append(0x30 + octet / 100) }
            if octet >= 10 { out.append(0x30 + octet / 10 % 10) }
            out.append(0x30 + octet % 10)
            if shift != 0 { out.append(UInt8(ascii: ".")) }
        }
    }
}

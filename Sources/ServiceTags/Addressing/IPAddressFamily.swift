/// What the tries, sets and prefixes need to know about one address family.
///
/// `IPv4Address` (over `UInt32`) and `IPv6Address` (over `UInt128`) conform. Generic code over this
/// protocol is specialised by the optimiser, so there is one implementation of prefix arithmetic,
/// tries and set algebra for both families with no runtime cost.
public protocol IPAddressFamily: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    /// The address as an unsigned integer, most significant bit first on the wire.
    associatedtype Bits: FixedWidthInteger & UnsignedInteger & Sendable & BitwiseCopyable
    /// The address's integer value.
    var bits: Bits { get }
    /// Every value of `Bits` is a valid address.
    init(bits: Bits)
    /// 32 or 128.
    static var bitWidth: Int { get }
    /// `true` for IPv4: used only for ordering mixed lists (IPv4 before IPv6).
    static var isIPv4: Bool { get }
    /// Appends the canonical text form (dotted quad or RFC 5952) to `out`.
    func write(to out: inout [UInt8])
}

extension IPAddressFamily {
    /// The mask with the top `length` bits set. `length` must be in `0...bitWidth`.
    ///
    /// Worked example (IPv4, length 20): `0xFFFF_F000`. Length 0 is special-cased because shifting a
    /// fixed-width integer by its own width is not a no-op in Swift's smart shifts' sense we want.
    @inlinable @inline(__always)
    public static func mask(length: Int) -> Bits {
        length == 0 ? 0 : ~Bits(0) &<< Bits(truncatingIfNeeded: bitWidth &- length)
    }

    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(Self.isIPv4 ? 15 : 39)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: Self, b: Self) -> Bool { a.bits < b.bits }
}

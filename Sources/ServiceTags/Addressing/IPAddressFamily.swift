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

    // The bit operations below are requirements, implemented on the concrete types, rather than
    // generic code: converting an `Int` shift count or result to and from `UInt128` in generic
    // context calls out of line into the runtime's generic integer conversions, which made every
    // IPv6 trie step several times slower.

    /// The mask with the top `length` bits set, `length` in `0...bitWidth`. Worked example (IPv4,
    /// length 20): `0xFFFF_F000`.
    static func mask(length: Int) -> Bits
    /// `bits >> n` for `0 <= n < bitWidth`.
    static func shiftRight(_ bits: Bits, _ n: Int) -> Bits
    /// The low 64 bits of `bits`.
    static func low64(_ bits: Bits) -> UInt64
}

extension IPAddressFamily {
    /// Bits `from ..< from + count` of `bits` (counting from the most significant), as an `Int`;
    /// `count <= 16`, `from + count <= bitWidth`.
    @inlinable @inline(__always)
    public static func field(_ bits: Bits, from: Int, count: Int) -> Int {
        Int(truncatingIfNeeded: low64(shiftRight(bits, bitWidth &- from &- count)) & ((1 &<< UInt64(count)) &- 1))
    }

    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(Self.isIPv4 ? 15 : 39)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: Self, b: Self) -> Bool { a.bits < b.bits }
}

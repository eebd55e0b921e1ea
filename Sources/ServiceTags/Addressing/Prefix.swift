/// A CIDR prefix of one family: an address and a length, with no host bits set.
///
/// Invariant: `0 <= length <= A.bitWidth` and `address.bits & ~mask == 0` (canonical). The parser
/// rejects host bits instead of masking them; `init(masking:length:)` is the explicit way to mask.
///
/// Ordering (the CLI's rule within a family): by address, then by length, so a prefix sorts before
/// every prefix it contains that starts at the same address.
public struct Prefix<A: IPAddressFamily>: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public let address: A
    public let length: UInt8

    /// Builds a canonical prefix, or `nil` when `length` is out of range or host bits are set.
    @inlinable public init?(address: A, length: Int) {
        guard length >= 0, length <= A.bitWidth, address.bits & ~A.mask(length: length) == 0 else { return nil }
        self.address = address
        self.length = UInt8(length)
    }

    /// The prefix of `length` bits containing `address` (host bits cleared on purpose).
    @inlinable public init(masking address: A, length: Int) {
        precondition(length >= 0 && length <= A.bitWidth, "prefix length out of range")
        self.address = A(bits: address.bits & A.mask(length: length))
        self.length = UInt8(length)
    }

    /// Trusted initialiser for internal callers that have already established the invariant.
    @inlinable init(unchecked address: A, length: Int) {
        self.address = address
        self.length = UInt8(truncatingIfNeeded: length)
    }

    @inlinable public var mask: A.Bits { A.mask(length: Int(length)) }
    /// The first address (the network address).
    @inlinable public var first: A { address }
    /// The last address (all host bits set).
    @inlinable public var last: A { A(bits: address.bits | ~mask) }

    /// Whether `a` lies inside this prefix.
    /// - Complexity: O(1).
    @inlinable public func contains(_ a: A) -> Bool { a.bits & mask == address.bits }

    /// Whether every address of `other` lies inside this prefix.
    @inlinable public func contains(_ other: Prefix<A>) -> Bool {
        other.length >= length && contains(other.address)
    }

    /// Whether the two prefixes share an address (CIDR prefixes either nest or are disjoint).
    @inlinable public func overlaps(_ other: Prefix<A>) -> Bool { contains(other) || other.contains(self) }

    @inlinable public var isSingleAddress: Bool { Int(length) == A.bitWidth }

    public var description: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `address/length` in canonical form.
    public func write(to out: inout [UInt8]) {
        address.write(to: &out)
        out.append(UInt8(ascii: "/"))
        if length >= 100 { out.append(0x30 + length / 100) }
        if length >= 10 { out.append(0x30 + length / 10 % 10) }
        out.append(0x30 + length % 10)
    }

    @inlinable public static func < (a: Prefix<A>, b: Prefix<A>) -> Bool {
        a.address.bits != b.address.bits ? a.address.bits < b.address.bits : a.length < b.length
    }
}

public typealias IPv4Prefix = Prefix<IPv4Address>
public typealias IPv6Prefix = Prefix<IPv6Address>

/// A prefix of either family: the façade for mixed lists. IPv4 sorts before IPv6.
public enum IPPrefix: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    case v4(IPv4Prefix)
    case v6(IPv6Prefix)

    public var description: String {
        switch self {
        case .v4(let p): p.description
        case .v6(let p): p.description
        }
    }

    public var length: Int {
        switch self {
        case .v4(let p): Int(p.length)
        case .v6(let p): Int(p.length)
        }
    }

    public var isIPv4: Bool { if case .v4 = self { true } else { false } }

    public init?(_ text: String) { try? self.init(parsing: text) }

    /// Whether `address` is inside; an IPv4 address is never inside an IPv6 prefix (callers unmap first).
    public func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.v4(let p), .v4(let a)): p.contains(a)
        case (.v6(let p), .v6(let a)): p.contains(a)
        default: false
        }
    }

    public static func < (a: IPPrefix, b: IPPrefix) -> Bool {
        switch (a, b) {
        case (.v4(let x), .v4(let y)): x < y
        case (.v6(let x), .v6(let y)): x < y
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}

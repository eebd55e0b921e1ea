/// An inclusive range of addresses of one family, `first...last`.
///
/// Invariant: `first <= last`, so a range is never empty; the empty set is an empty `PrefixSet`.
/// Inclusive bounds are what let `0...max` (the whole family) be represented without an overflowing
/// "one past the end".
///
/// Ordering: by `first`, then by `last`.
public struct IPRange<A: IPAddressFamily>: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    /// The lowest address in the range.
    public let first: A
    /// The highest address in the range; never below `first`.
    public let last: A

    /// The range `first...last`, or `nil` when `first > last`.
    @inlinable public init?(first: A, last: A) {
        guard first.bits <= last.bits else { return nil }
        self.first = first
        self.last = last
    }

    /// Trusted initialiser for callers that have established `first <= last`.
    @inlinable init(unchecked first: A.Bits, _ last: A.Bits) {
        assert(first <= last, "IPRange invariant: first <= last")
        self.first = A(bits: first)
        self.last = A(bits: last)
    }

    /// The addresses of `prefix`, from its network address to its last address.
    @inlinable public init(_ prefix: Prefix<A>) {
        self.first = prefix.first
        self.last = prefix.last
    }

    /// Every address of the family: `0...max`, the range of the `/0`.
    @inlinable public static var all: IPRange<A> { IPRange(unchecked: 0, A.Bits.max) }

    /// Whether `address` lies in the range.
    /// - Complexity: O(1).
    @inlinable public func contains(_ address: A) -> Bool {
        first.bits <= address.bits && address.bits <= last.bits
    }

    /// Whether every address of `other` lies in this range.
    /// - Complexity: O(1).
    @inlinable public func contains(_ other: IPRange<A>) -> Bool {
        first.bits <= other.first.bits && other.last.bits <= last.bits
    }

    /// Whether the two ranges share at least one address.
    /// - Complexity: O(1).
    @inlinable public func overlaps(_ other: IPRange<A>) -> Bool {
        first.bits <= other.last.bits && other.first.bits <= last.bits
    }

    /// The number of addresses, `last - first + 1`; 2^128 for the full IPv6 range.
    /// - Complexity: O(1).
    @inlinable public var addressCount: AddressCount {
        AddressCount.rangeSize(first: first.bits, last: last.bits)
    }

    /// The single prefix covering exactly this range, if there is one.
    /// - Complexity: O(1).
    @inlinable public var prefix: Prefix<A>? {
        // A range is one prefix when `last - first` is all ones below some bit (a host mask) and
        // `first` has none of those bits set.
        let hostMask = last.bits &- first.bits
        guard hostMask & (hostMask &+ 1) == 0, first.bits & hostMask == 0 else { return nil }
        return Prefix(unchecked: first, length: hostMask.leadingZeroBitCount)
    }

    /// `first-last`, e.g. `10.0.0.1-10.0.0.6`, as netipx prints ranges.
    public var description: String {
        var out: [UInt8] = []
        first.write(to: &out)
        out.append(UInt8(ascii: "-"))
        last.write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable public static func < (a: IPRange<A>, b: IPRange<A>) -> Bool {
        a.first.bits != b.first.bits ? a.first.bits < b.first.bits : a.last.bits < b.last.bits
    }
}

public typealias IPv4Range = IPRange<IPv4Address>
public typealias IPv6Range = IPRange<IPv6Address>

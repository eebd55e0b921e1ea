/// A set of addresses of both families: an IPv4 `PrefixSet` and an IPv6 `PrefixSet` side by side.
///
/// The families never mix (an IPv4-mapped IPv6 address is an IPv6 address here; callers unmap
/// first, as with `IPPrefix.contains`). Every operation applies to each family independently.
public struct IPSet: Hashable, Sendable {
    public let v4: PrefixSet<IPv4Address>
    public let v6: PrefixSet<IPv6Address>

    @inlinable public init(v4: PrefixSet<IPv4Address> = PrefixSet(), v6: PrefixSet<IPv6Address> = PrefixSet()) {
        self.v4 = v4
        self.v6 = v6
    }

    /// The set of every address in `prefixes`, split by family.
    /// - Complexity: O(n log n), O(n) when each family's prefixes arrive sorted.
    public init(_ prefixes: some Sequence<IPPrefix>) {
        var v4: [IPv4Prefix] = [], v6: [IPv6Prefix] = []
        for prefix in prefixes {
            switch prefix {
            case .v4(let p): v4.append(p)
            case .v6(let p): v6.append(p)
            }
        }
        self.init(v4: PrefixSet(v4), v6: PrefixSet(v6))
    }

    /// Whether the set holds no address of either family.
    public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }

    /// The number of addresses of both families (up to 2^128 + 2^32).
    /// - Complexity: O(r).
    public var addressCount: AddressCount { v4.addressCount + v6.addressCount }

    /// Whether `address` is in the set of its family.
    /// - Complexity: O(log r).
    public func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): v4.contains(a)
        case .v6(let a): v6.contains(a)
        }
    }

    /// Whether every address of `prefix` is in the set of its family.
    /// - Complexity: O(log r).
    public func contains(_ prefix: IPPrefix) -> Bool {
        switch prefix {
        case .v4(let p): v4.contains(p)
        case .v6(let p): v6.contains(p)
        }
    }

    /// The minimal exact CIDR cover, IPv4 first, each family ascending (the CLI's order).
    /// - Complexity: O(p) for p output prefixes.
    public func prefixes() -> [IPPrefix] {
        let p4 = v4.prefixes(), p6 = v6.prefixes()
        var out: [IPPrefix] = []
        out.reserveCapacity(p4.count + p6.count)
        for p in p4 { out.append(.v4(p)) }
        for p in p6 { out.append(.v6(p)) }
        return out
    }

    /// - Complexity: O(r + s) for each of the following.
    public func union(_ other: IPSet) -> IPSet { IPSet(v4: v4.union(other.v4), v6: v6.union(other.v6)) }
    public func intersection(_ other: IPSet) -> IPSet {
        IPSet(v4: v4.intersection(other.v4), v6: v6.intersection(other.v6))
    }
    public func subtracting(_ other: IPSet) -> IPSet {
        IPSet(v4: v4.subtracting(other.v4), v6: v6.subtracting(other.v6))
    }
    public func symmetricDifference(_ other: IPSet) -> IPSet {
        IPSet(v4: v4.symmetricDifference(other.v4), v6: v6.symmetricDifference(other.v6))
    }
    public func isSubset(of other: IPSet) -> Bool { v4.isSubset(of: other.v4) && v6.isSubset(of: other.v6) }
}

/// The minimal exact CIDR cover of a mixed list: IPv4 prefixes first, each family ascending.
/// - Complexity: O(n log n), O(n) when each family's prefixes arrive sorted.
public func aggregate(_ prefixes: some Sequence<IPPrefix>) -> [IPPrefix] {
    IPSet(prefixes).prefixes()
}

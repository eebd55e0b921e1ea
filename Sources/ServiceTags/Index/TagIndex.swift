/// Everything a lookup needs, built once from a `ServiceTagsFile`: the tags' metadata, one
/// `PrefixTrie` per tag and family, and the combined `FamilyIndex` of each family.
///
/// Immutable after `TagIndexBuilder.finish()`; a struct of arrays, so `Sendable` for free.
public struct TagIndex: Sendable {
    public let cloud: String
    public let changeNumber: Int?
    /// The tags in the file's order; `TagID` is the position here.
    public let tags: [ServiceTag]
    /// Per-tag tries, indexed by `TagID`.
    public let ipv4Tries: [PrefixTrie<IPv4Address>]
    public let ipv6Tries: [PrefixTrie<IPv6Address>]
    public let ipv4: FamilyIndex<IPv4Address>
    public let ipv6: FamilyIndex<IPv6Address>
    let idsByName: [String: TagID]

    /// The tag called exactly `name`.
    public func tagID(named name: String) -> TagID? { idsByName[name] }

    /// One answer for the façade: a tag and its most specific prefix containing the query.
    public struct Match: Hashable, Sendable {
        public var tag: TagID
        public var prefix: IPPrefix
    }

    /// Every tag containing `address` (IPv4-mapped IPv6 is looked up as IPv4), each with its most
    /// specific containing prefix, most specific first.
    /// - Complexity: one combined-index probe plus the size of the answer.
    public func matches(for address: IPAddress) -> [Match] {
        switch address.unmapped {
        case .v4(let a): ipv4.node(containing: a).map { answers(ipv4, $0, IPPrefix.v4) } ?? []
        case .v6(let a): ipv6.node(containing: a).map { answers(ipv6, $0, IPPrefix.v6) } ?? []
        }
    }

    /// Every tag containing all of `prefix`, each with its most specific prefix containing it.
    public func matches(for prefix: IPPrefix) -> [Match] {
        switch prefix {
        case .v4(let p): return ipv4.node(containing: p).map { answers(ipv4, $0, IPPrefix.v4) } ?? []
        case .v6(let p):
            if p.length >= 96, let a = p.address.unmappedIPv4 {
                return matches(for: .v4(IPv4Prefix(unchecked: a, length: Int(p.length) - 96)))
            }
            return ipv6.node(containing: p).map { answers(ipv6, $0, IPPrefix.v6) } ?? []
        }
    }

    private func answers<A>(_ family: FamilyIndex<A>, _ node: UInt32, _ wrap: (Prefix<A>) -> IPPrefix) -> [Match] {
        family.matches(of: node).map { Match(tag: $0.tag, prefix: wrap(family.prefixes[Int($0.node)])) }
    }
}

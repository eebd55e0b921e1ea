import Synchronization

/// Everything a lookup needs, built once from a `ServiceTagsFile` (or loaded from a compiled
/// index): the tags' metadata, the combined `FamilyIndex` of each family, and, built on first use,
/// one `PrefixTrie` per tag and family.
///
/// Immutable after `TagIndexBuilder.finish()` or `CompiledIndex` loading; a struct of arrays (the
/// lazily built tries sit behind a lock), so `Sendable`.
public struct TagIndex: Sendable {
    public let cloud: String
    public let changeNumber: Int?
    /// The tags in the file's order, with their prefix lists; `TagID` is the position here. For a
    /// loaded compiled index the prefix lists are decoded on the first read (take it once, not
    /// per address: each read of a loaded index's tags takes a lock).
    /// - Complexity: O(prefixes) the first time for a loaded compiled index, O(1) after.
    public var tags: [ServiceTag] { tagList.tags }
    /// Every tag's metadata in the file's order (name, id, region, platform, systemService,
    /// networkFeatures, changeNumber, regionId): all a lookup prints. The prefix lists are those
    /// of `tags` for a built index and empty for a loaded compiled one, which never decodes them
    /// for a lookup.
    public let tagMetadata: [ServiceTag]
    public private(set) var ipv4: FamilyIndex<IPv4Address>
    public private(set) var ipv6: FamilyIndex<IPv6Address>
    private let tagList: TagList
    private let tries: LazyTries

    /// - Precondition: tag names are unique; the family indexes' tag IDs are below `tags.count`.
    init(cloud: String, changeNumber: Int?, tags: [ServiceTag], ipv4: FamilyIndex<IPv4Address>, ipv6: FamilyIndex<IPv6Address>) {
        self.init(cloud: cloud, changeNumber: changeNumber, metadata: tags, tagList: TagList(tags), ipv4: ipv4, ipv6: ipv6)
    }

    /// An index whose tags' prefix lists come from `decodeTags` on first use (a compiled index).
    /// - Precondition: as above; `decodeTags()` returns `metadata` with the prefix lists filled in.
    init(cloud: String, changeNumber: Int?, metadata: [ServiceTag], ipv4: FamilyIndex<IPv4Address>, ipv6: FamilyIndex<IPv6Address>,
         decodeTags: @escaping @Sendable () -> [ServiceTag]) {
        self.init(cloud: cloud, changeNumber: changeNumber, metadata: metadata, tagList: TagList(decode: decodeTags), ipv4: ipv4, ipv6: ipv6)
    }

    private init(cloud: String, changeNumber: Int?, metadata: [ServiceTag], tagList: TagList,
                 ipv4: FamilyIndex<IPv4Address>, ipv6: FamilyIndex<IPv6Address>) {
        self.cloud = cloud
        self.changeNumber = changeNumber
        self.tagMetadata = metadata
        self.tagList = tagList
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        tries = LazyTries()
    }

    /// This index with its tables' lookup shortcuts: the IPv6 jumps (`StrideTable+Jumps.swift`,
    /// 2.7x faster IPv6 hits on the Public file) and the IPv4 /24 records (`StrideTable+Records.swift`,
    /// 1.3x). A built index (`TagIndexBuilder.finish()`) has them; a loaded compiled index does not
    /// (a process that asks one address would spend more building them than it saves), so a
    /// command that streams many addresses through a loaded index calls this once.
    /// - Complexity: O(table nodes); O(1) when the tables have them.
    public func withJumps() -> TagIndex {
        var index = self
        index.ipv4 = ipv4.withJumps()
        index.ipv6 = ipv6.withJumps()
        return index
    }

    /// Per-tag tries, indexed by `TagID`. No lookup of the index needs them, so they are built on
    /// first use (a loaded compiled index never pays for them).
    /// - Complexity: O(n log n) in the prefix entries the first time, O(1) after.
    public var ipv4Tries: [PrefixTrie<IPv4Address>] { tries.get(tags).ipv4 }
    public var ipv6Tries: [PrefixTrie<IPv6Address>] { tries.get(tags).ipv6 }

    /// The tag called exactly `name`.
    /// - Complexity: O(tags) the first time (the name table is built on first use), O(1) after.
    public func tagID(named name: String) -> TagID? { tagList.ids(tagMetadata)[name] }

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
        guard let key = answerKey(for: prefix) else { return [] }
        let v4Nodes = ipv4.prefixes.count
        return key < v4Nodes ? answers(ipv4, UInt32(key), IPPrefix.v4) : answers(ipv6, UInt32(key - v4Nodes), IPPrefix.v6)
    }

    /// Which node answers `matches(for: prefix)`, as one number (IPv4 nodes, then IPv6 ones after
    /// them), or nil when no prefix of the index contains `prefix`: two prefixes with the same key
    /// get the same matches, so a caller may render an answer once per key.
    /// - Complexity: one combined-index probe (and, for a prefix, a walk up its enclosing nodes).
    public func answerKey(for prefix: IPPrefix) -> Int? {
        switch prefix {
        case .v4(let p): return ipv4.node(containing: p).map { Int($0) }
        case .v6(let p):
            if p.length >= 96, let a = p.address.unmappedIPv4 {
                return answerKey(for: .v4(IPv4Prefix(unchecked: a, length: Int(p.length) - 96)))
            }
            return ipv6.node(containing: p).map { ipv4.prefixes.count + Int($0) }
        }
    }

    private func answers<A>(_ family: FamilyIndex<A>, _ node: UInt32, _ wrap: (Prefix<A>) -> IPPrefix) -> [Match] {
        family.matches(of: node).map { Match(tag: $0.tag, prefix: wrap(family.prefixes[Int($0.node)])) }
    }
}

/// The tags of a `TagIndex`: given whole (a built index), or decoded once by whichever caller
/// asks first (a loaded compiled index).
private final class TagList: Sendable {
    private let given: [ServiceTag]?
    private let decode: (@Sendable () -> [ServiceTag])?
    private let decoded = Mutex<[ServiceTag]?>(nil)
    private let idsByName = Mutex<[String: TagID]?>(nil)

    /// Each tag's ID by name, built on first use (a lookup of addresses needs none).
    func ids(_ metadata: [ServiceTag]) -> [String: TagID] {
        idsByName.withLock { built in
            if let built { return built }
            var ids: [String: TagID] = [:]
            ids.reserveCapacity(metadata.count)
            for (i, tag) in metadata.enumerated() { ids[tag.name] = TagID(i) }
            built = ids
            return ids
        }
    }

    init(_ tags: [ServiceTag]) { given = tags; decode = nil }
    init(decode: @escaping @Sendable () -> [ServiceTag]) { given = nil; self.decode = decode }

    var tags: [ServiceTag] {
        if let given { return given }
        return decoded.withLock { decoded in
            if let decoded { return decoded }
            let tags = decode!()
            decoded = tags
            return tags
        }
    }
}

/// The per-tag tries of a `TagIndex`, built once by whichever caller asks first.
private final class LazyTries: Sendable {
    private let built = Mutex<(ipv4: [PrefixTrie<IPv4Address>], ipv6: [PrefixTrie<IPv6Address>])?>(nil)

    func get(_ tags: [ServiceTag]) -> (ipv4: [PrefixTrie<IPv4Address>], ipv6: [PrefixTrie<IPv6Address>]) {
        built.withLock { built in
            if let built { return built }
            var tries4 = PrefixTrieBuilder<IPv4Address>()
            var tries6 = PrefixTrieBuilder<IPv6Address>()
            tries4.reserveCapacity(tags.reduce(0) { $0 + $1.ipv4.count } + tags.count)
            tries6.reserveCapacity(tags.reduce(0) { $0 + $1.ipv6.count } + tags.count)
            for tag in tags {
                tries4.addTrie(tag.ipv4)
                tries6.addTrie(tag.ipv6)
            }
            let result = (ipv4: tries4.finish(), ipv6: tries6.finish())
            built = result
            return result
        }
    }
}

extension TagSuggestion {
    /// A tag of one of several indexes (`stag suggest --data A --data B`).
    public struct TagRef: Hashable, Comparable, Sendable {
        /// The position of the index in the list given.
        public var source: Int
        public var tag: TagID

        public init(source: Int, tag: TagID) {
            self.source = source
            self.tag = tag
        }

        public static func < (a: TagRef, b: TagRef) -> Bool { (a.source, a.tag) < (b.source, b.tag) }
    }

    /// The candidate tags for `observations` in `indexes`: every tag containing an observation
    /// whole (an address is its /32 or /128), in order (index, tag), each with the observations it
    /// covers and the size of the union of its prefixes.
    ///
    /// The combined index answers each observation; an answer list is a property of the index
    /// node, so addresses under the same node share the work of their list.
    /// - Complexity: O(observations · answer size) plus O(prefixes) of each candidate tag (its
    ///   size), and the first read of a compiled index's tags.
    public static func candidates(for observations: [IPPrefix], in indexes: [TagIndex]) -> (tags: [TagRef], candidates: [Candidate]) {
        var covers: [TagRef: [Int]] = [:]
        for (s, index) in indexes.enumerated() {
            var byAnswer: [[TagID]: [Int]] = [:]
            for (o, observation) in observations.enumerated() {
                byAnswer[index.matches(for: observation).map(\.tag), default: []].append(o)
            }
            for (answer, list) in byAnswer {
                for tag in answer { covers[TagRef(source: s, tag: tag), default: []].append(contentsOf: list) }
            }
        }
        let refs = covers.keys.sorted()
        let tagLists = indexes.map(\.tags)
        let candidates = refs.map { ref -> Candidate in
            let tag = tagLists[ref.source][Int(ref.tag)]
            return Candidate(covers: covers[ref]!.sorted(), ipv4Addresses: PrefixSet(tag.ipv4).addressCount,
                             ipv6Addresses: PrefixSet(tag.ipv6).addressCount)
        }
        return (refs, candidates)
    }
}

extension IPPrefix {
    /// The single-address prefix of `address` (IPv4-mapped IPv6 as IPv4).
    public init(address: IPAddress) {
        switch address.unmapped {
        case .v4(let a): self = .v4(IPv4Prefix(unchecked: a, length: 32))
        case .v6(let a): self = .v6(IPv6Prefix(unchecked: a, length: 128))
        }
    }

    /// An IPv6 prefix of the IPv4-mapped space (`::ffff:0:0/96` or longer) as its IPv4 prefix;
    /// any other prefix unchanged. Lookups treat both the same, so duplicates are found on this.
    public var unmapped: IPPrefix {
        if case .v6(let p) = self, p.length >= 96, let a = p.address.unmappedIPv4 {
            return .v4(IPv4Prefix(unchecked: a, length: Int(p.length) - 96))
        }
        return self
    }

    /// Whether the prefix holds one address (/32, /128).
    public var isSingleAddress: Bool {
        switch self {
        case .v4(let p): p.isSingleAddress
        case .v6(let p): p.isSingleAddress
        }
    }

    /// The address for a single-address prefix, the prefix (`/length`) otherwise.
    public var addressOrPrefixText: String {
        switch self {
        case .v4(let p): p.isSingleAddress ? p.address.description : p.description
        case .v6(let p): p.isSingleAddress ? p.address.description : p.description
        }
    }
}

/// Lookups without an index: one pass over every prefix of every tag.
///
/// For a handful of addresses this is the fastest way from a file to an answer: a scan of the
/// ~93,000 prefixes of a weekly file takes about 0.1 ms, building a `TagIndex` about 18 ms. The
/// CLI scans for a few addresses on the command line and builds the index for streams; tests
/// check that both give the same answers.
extension ServiceTagsFile {
    /// Every tag containing `address` (IPv4-mapped IPv6 is looked up as IPv4), each with its most
    /// specific prefix containing it; most specific first, then by tag position.
    /// - Complexity: O(total prefixes).
    public func scanMatches(for address: IPAddress) -> [TagIndex.Match] {
        switch address.unmapped {
        case .v4(let a): scan({ $0.ipv4 }, IPv4Prefix(masking: a, length: 32), IPPrefix.v4)
        case .v6(let a): scan({ $0.ipv6 }, IPv6Prefix(masking: a, length: 128), IPPrefix.v6)
        }
    }

    /// Every tag containing all of `prefix`, each with its most specific prefix containing it.
    /// - Complexity: O(total prefixes).
    public func scanMatches(for prefix: IPPrefix) -> [TagIndex.Match] {
        switch prefix {
        case .v4(let p): return scan({ $0.ipv4 }, p, IPPrefix.v4)
        case .v6(let p):
            if p.length >= 96, let a = p.address.unmappedIPv4 {
                return scanMatches(for: .v4(IPv4Prefix(unchecked: a, length: Int(p.length) - 96)))
            }
            return scan({ $0.ipv6 }, p, IPPrefix.v6)
        }
    }

    /// `prefixes` picks the family's list of a tag: a closure, not a key path, which the runtime
    /// projected for every tag (with a metadata lookup): half of this scan's time.
    private func scan<A>(_ prefixes: (ServiceTag) -> [Prefix<A>], _ query: Prefix<A>,
                         _ wrap: (Prefix<A>) -> IPPrefix) -> [TagIndex.Match] {
        var found: [(tag: TagID, prefix: Prefix<A>)] = []
        for (i, tag) in tags.enumerated() {
            var best: Prefix<A>?
            for p in prefixes(tag) where p.contains(query) && (best == nil || p.length > best!.length) {
                best = p
            }
            if let best { found.append((TagID(i), best)) }
        }
        found.sort { $0.prefix.length != $1.prefix.length ? $0.prefix.length > $1.prefix.length : $0.tag < $1.tag }
        return found.map { TagIndex.Match(tag: $0.tag, prefix: wrap($0.prefix)) }
    }
}

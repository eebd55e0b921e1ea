/// Builds a `TagIndex` from a parsed file. Consumed by `finish()`.
public struct TagIndexBuilder: ~Copyable {
    private var file: ServiceTagsFile

    public init(_ file: ServiceTagsFile) { self.file = file }

    /// - Complexity: O(n log n) in the number of prefix entries.
    public consuming func finish() -> TagIndex {
        var pairs4: [(prefix: IPv4Prefix, tag: TagID)] = []
        var pairs6: [(prefix: IPv6Prefix, tag: TagID)] = []
        var tries4: [PrefixTrie<IPv4Address>] = []
        var tries6: [PrefixTrie<IPv6Address>] = []
        var ids: [String: TagID] = [:]
        ids.reserveCapacity(file.tags.count)
        tries4.reserveCapacity(file.tags.count)
        tries6.reserveCapacity(file.tags.count)
        for (i, tag) in file.tags.enumerated() {
            let id = TagID(i)
            ids[tag.name] = id
            for p in tag.ipv4 { pairs4.append((p, id)) }
            for p in tag.ipv6 { pairs6.append((p, id)) }
            tries4.append(PrefixTrie(tag.ipv4))
            tries6.append(PrefixTrie(tag.ipv6))
        }
        return TagIndex(cloud: file.cloud, changeNumber: file.changeNumber, tags: file.tags,
                        ipv4Tries: tries4, ipv6Tries: tries6,
                        ipv4: FamilyIndex(pairs: pairs4), ipv6: FamilyIndex(pairs: pairs6), idsByName: ids)
    }
}

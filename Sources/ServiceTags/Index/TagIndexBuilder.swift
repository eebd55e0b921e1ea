/// Builds a `TagIndex` from a parsed file. Consumed by `finish()`.
public struct TagIndexBuilder: ~Copyable {
    private var file: ServiceTagsFile

    public init(_ file: ServiceTagsFile) { self.file = file }

    /// - Complexity: O(n log n) in the number of prefix entries.
    public consuming func finish() -> TagIndex {
        var pairs4: [(prefix: IPv4Prefix, tag: TagID)] = []
        var pairs6: [(prefix: IPv6Prefix, tag: TagID)] = []
        pairs4.reserveCapacity(file.tags.reduce(0) { $0 + $1.ipv4.count })
        pairs6.reserveCapacity(file.tags.reduce(0) { $0 + $1.ipv6.count })
        for (i, tag) in file.tags.enumerated() {
            let id = TagID(i)
            for p in tag.ipv4 { pairs4.append((p, id)) }
            for p in tag.ipv6 { pairs6.append((p, id)) }
        }
        return TagIndex(cloud: file.cloud, changeNumber: file.changeNumber, tags: file.tags,
                        ipv4: FamilyIndex(pairs: pairs4, tagCount: file.tags.count), ipv6: FamilyIndex(pairs: pairs6, tagCount: file.tags.count))
    }
}

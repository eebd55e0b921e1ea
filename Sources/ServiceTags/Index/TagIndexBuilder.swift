/// Builds a `TagIndex` from a parsed file. Consumed by `finish()`.
public struct TagIndexBuilder: ~Copyable {
    private var file: ServiceTagsFile

    /// Prefix entries from which the two families are built on two threads.
    static let parallelThreshold = 20_000

    public init(_ file: ServiceTagsFile) { self.file = file }

    /// - Complexity: O(n log n) in the number of prefix entries.
    /// With the lookup shortcuts (`TagIndex.withJumps()`): an index is built to be asked.
    public consuming func finish() -> TagIndex { finish(alongside: {}).0.withJumps() }

    /// `finish()` without the lookup shortcuts, with `work` run after the IPv6 family on its
    /// thread: `stag compile` lays out the model's sections there while this thread builds the IPv4
    /// family, about the same work for a weekly file (and never looks anything up).
    /// - Precondition: `work` shares no mutable state with the build.
    consuming func finish<R>(alongside work: @escaping () -> R) -> (TagIndex, R) {
        var pairs4: [(prefix: IPv4Prefix, tag: TagID)] = []
        var pairs6: [(prefix: IPv6Prefix, tag: TagID)] = []
        pairs4.reserveCapacity(file.tags.reduce(0) { $0 + $1.ipv4.count })
        pairs6.reserveCapacity(file.tags.reduce(0) { $0 + $1.ipv6.count })
        for (i, tag) in file.tags.enumerated() {
            let id = TagID(i)
            for p in tag.ipv4 { pairs4.append((p, id)) }
            for p in tag.ipv6 { pairs6.append((p, id)) }
        }
        // The families share nothing: a weekly file's (~18 ms) are built on two cores at once.
        let tagCount = file.tags.count
        let (ipv4, (ipv6, result)) = concurrently(parallel: pairs4.count + pairs6.count >= Self.parallelThreshold,
                                                  { FamilyIndex(pairs: pairs4, tagCount: tagCount) },
                                                  { [pairs6] in (FamilyIndex(pairs: pairs6, tagCount: tagCount), work()) })
        return (TagIndex(cloud: file.cloud, changeNumber: file.changeNumber, tags: file.tags, ipv4: ipv4, ipv6: ipv6), result)
    }
}

extension AddressHistoryBuilder {
    /// Adds the next file, answering every query from its combined index.
    ///
    /// Per query one index probe and a walk over the answer slice: no array is built per query.
    /// Tags `selection` does not hold are left out, as if absent from the file.
    /// - Complexity: O(tags × patterns) to number the file's tags, then one probe plus the size of
    ///   the answer per query.
    public mutating func add(_ index: TagIndex, selecting selection: TagSelection = .all) {
        // The file's TagIDs to archive-wide numbers, -1 for tags not selected.
        let tagNumbers = index.tagMetadata.map { tag -> Int32 in
            selection.contains(tag.name) ? number(of: tag.name) : -1
        }
        for q in queries.indices {
            switch queries[q] {
            case .v4(let p): add(index.ipv4, p, IPPrefix.v4, query: q, tagNumbers)
            case .v6(let p): add(index.ipv6, p, IPPrefix.v6, query: q, tagNumbers)
            }
        }
        endFile()
    }

    private mutating func add<A>(_ family: FamilyIndex<A>, _ query: Prefix<A>, _ wrap: (Prefix<A>) -> IPPrefix,
                                 query q: Int, _ tagNumbers: [Int32]) {
        guard let node = family.node(containing: query) else { return }
        for m in family.matches(of: node) {
            let tag = tagNumbers[Int(m.tag)]
            if tag >= 0 { record(query: q, tag: tag, prefix: wrap(family.prefixes[Int(m.node)])) }
        }
    }
}

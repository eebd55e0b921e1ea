extension AddressHistoryBuilder {
    /// Adds the next file by one sweep over its prefixes against the queries sorted once, with no
    /// index built: each prefix finds the queries it contains by binary search.
    ///
    /// Why not always `add(_ index:)`: building a file's `TagIndex` sorts all its prefixes and
    /// fills the stride tables, more work than parsing the file, while a few hundred queries need
    /// only one binary search per prefix. Both give the same answers (`HistoryTests`).
    /// A tag may list a prefix inside another of its own; the longest containing one wins.
    /// - Complexity: O(P log Q + M) for P prefixes, Q queries and M (query, prefix) containments.
    public mutating func add(_ file: ServiceTagsFile, selecting selection: TagSelection = .all) {
        // Taken out while in use, so the scratch arrays are mutated in place, not copied.
        var sweep = order.take() ?? Self.sortedQueries(queries)
        for tag in file.tags where selection.contains(tag.name) {
            let number = number(of: tag.name)
            sweep.reset()
            for p in tag.ipv4 { sweep.visit(p, in: sweep.v4, IPPrefix.v4) }
            for p in tag.ipv6 { sweep.visit(p, in: sweep.v6, IPPrefix.v6) }
            for q in sweep.touched { record(query: q, tag: number, prefix: sweep.best[q]!) }
        }
        order = sweep
        endFile()
    }

    static func sortedQueries(_ queries: [IPPrefix]) -> QueryOrder {
        var o = QueryOrder(best: Array(repeating: nil, count: queries.count))
        for (i, q) in queries.enumerated() {
            switch q {
            case .v4(let p): o.v4.append((p, i))
            case .v6(let p): o.v6.append((p, i))
            }
        }
        o.v4.sort { $0.0 < $1.0 }
        o.v6.sort { $0.0 < $1.0 }
        return o
    }
}

/// The queries of one family sorted by (address, length), and per-tag scratch space reused for
/// every tag of every file: the best prefix found for each query and which queries have one.
struct QueryOrder: Sendable {
    var v4: [(IPv4Prefix, Int)] = []
    var v6: [(IPv6Prefix, Int)] = []
    var best: [IPPrefix?]
    var touched: [Int] = []

    mutating func reset() {
        for q in touched { best[q] = nil }
        touched.removeAll(keepingCapacity: true)
    }

    /// Records `p` for every query it contains, if longer than the query's best so far.
    mutating func visit<A>(_ p: Prefix<A>, in sorted: [(Prefix<A>, Int)], _ wrap: (Prefix<A>) -> IPPrefix) {
        // The first query whose address is >= p's first address; queries inside p follow it
        // while their address is <= p's last.
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].0.address < p.address { lo = mid + 1 } else { hi = mid }
        }
        let last = p.last
        var i = lo
        while i < sorted.count && sorted[i].0.address <= last {
            let (query, q) = sorted[i]
            i += 1
            guard query.length >= p.length else { continue }
            if let b = best[q] {
                if p.length > b.length { best[q] = wrap(p) }
            } else {
                best[q] = wrap(p)
                touched.append(q)
            }
        }
    }
}

extension CompiledHistory {
    /// The histories of `queries` (in `AddressHistory.query(for:)` form), in query order, with
    /// the same per-file answers the JSON files give: in each file, per tag, the longest stored
    /// prefix containing the query whose runs include the file. The answers go through
    /// `AddressHistoryBuilder.add(answers:)`, so the intervals are built by the same code.
    /// Tags `selection` does not hold are left out.
    /// - Complexity: per query one binary search per prefix length (≤ 33 or 129) plus its
    ///   matches, then O(files × matches × runs per match).
    public func addressHistories(_ queries: [IPPrefix], selecting selection: TagSelection = .all) -> [AddressHistory] {
        let selected = tagNames.map(selection.contains)
        // Per query, its containing pairs shortest first as (tag, prefix, pair, v4).
        let matches: [[(tag: Int, prefix: IPPrefix, pair: Int, v4: Bool)]] = queries.map { q in
            switch q {
            case .v4(let p): v4.containing(p).map { (Int(v4.tags[$0]), .v4(v4.prefix($0)), $0, true) }.filter { selected[$0.tag] }
            case .v6(let p): v6.containing(p).map { (Int(v6.tags[$0]), .v6(v6.prefix($0)), $0, false) }.filter { selected[$0.tag] }
            }
        }
        var builder = AddressHistoryBuilder(queries: queries)
        for k in files.indices {
            let answers = matches.map { list -> [(name: String, prefix: IPPrefix)] in
                // Shortest first, so a later match of the same tag is more specific and replaces.
                var best: [(tag: Int, prefix: IPPrefix)] = []
                for m in list where m.v4 ? v4.contains(m.pair, file: k) : v6.contains(m.pair, file: k) {
                    if let i = best.firstIndex(where: { $0.tag == m.tag }) { best[i].prefix = m.prefix } else { best.append((m.tag, m.prefix)) }
                }
                return best.map { (tagNames[$0.tag], $0.prefix) }
            }
            builder.add(answers: answers)
        }
        return builder.finish()
    }

    /// Per file, the selected tags as they were: name, changeNumber and prefixes (in stored order;
    /// `TagHistoryBuilder` sorts them), for the same `TagHistory` values as from the JSON files.
    /// - Complexity: O(pairs) to find the selected tags' pairs, then O(files × their runs).
    public func tagHistories(selecting selection: TagSelection) -> [TagHistory] {
        let chosen = tagNames.indices.filter { selection.contains(tagNames[$0]) }
        var slot = [Int](repeating: -1, count: tagNames.count)
        for (s, t) in chosen.enumerated() { slot[t] = s }
        var pairs4 = [[Int]](repeating: [], count: chosen.count), pairs6 = pairs4
        for i in 0 ..< v4.count where slot[Int(v4.tags[i])] >= 0 { pairs4[slot[Int(v4.tags[i])]].append(i) }
        for i in 0 ..< v6.count where slot[Int(v6.tags[i])] >= 0 { pairs6[slot[Int(v6.tags[i])]].append(i) }
        var builder = TagHistoryBuilder(selection: selection)
        for k in files.indices {
            var tags: [ServiceTag] = []
            for (s, t) in chosen.enumerated() {
                let presence = tagFile(t, k)
                guard presence.present else { continue }
                tags.append(ServiceTag(name: tagNames[t], changeNumber: presence.changeNumber,
                                       ipv4: pairs4[s].filter { v4.contains($0, file: k) }.map(v4.prefix),
                                       ipv6: pairs6[s].filter { v6.contains($0, file: k) }.map(v6.prefix)))
            }
            builder.add(tags)
        }
        return builder.finish()
    }

    /// Whether the history was compiled from exactly these files: the same names in the same
    /// order, with the same SHA-256 digests and sizes (`stored`: lower-case hex, as the fetch
    /// manifest records them).
    public func matches(_ stored: [(fileName: String, sha256Hex: String, size: Int)]) -> Bool {
        stored.count == files.count && zip(stored, files).allSatisfy { s, f in
            s.fileName == f.fileName && s.size == f.size && s.sha256Hex == f.sha256Hex
        }
    }
}

extension CompiledHistory {
    /// The name of the compiled history of `cloud` in the fetch cache, `history-<Cloud>.stagh`
    /// (`history-Public.stagh`): `stag fetch` rebuilds it when it stores a file of that cloud,
    /// and `stag history` reads it while it matches the stored files.
    public static func cacheFileName(_ cloud: ServiceTagsCloud) -> String { "history-\(cloud.fileStem).stagh" }
}

/// "Did you mean" suggestions for mistyped tag names and options.
public enum NearNames {
    /// Up to `limit` candidates closest to `name` by case-insensitive edit distance, closest first
    /// (ties by name); only those within a third of the name's length, or that contain it.
    /// - Complexity: O(candidates · |name| · |candidate|).
    public static func suggestions(for name: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let target = Array(name.lowercased().utf8)
        var scored: [(Int, String)] = []
        for candidate in candidates {
            let c = Array(candidate.lowercased().utf8)
            let d = distance(target, c)
            let contains = target.count >= 3 && candidate.lowercased().contains(name.lowercased())
            if d <= max(1, target.count / 3) || contains { scored.append((contains ? min(d, 1) : d, candidate)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(limit).map(\.1)
    }

    /// Levenshtein distance with one rolling row.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            if b.isEmpty { continue }
            for j in 1...b.count {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

/// The byte order of tag names, as every listing of the tool sorts them (not `String`'s `<`,
/// which orders by Unicode scalars after normalization).
public enum TagNameOrder {
    /// Each name's position when the names are sorted by their UTF-8 bytes (`ranks[i]` for
    /// `names[i]`), so that tag IDs sort by name as integers.
    /// - Precondition: the names are distinct.
    /// - Complexity: O(n log n) comparisons of contiguous bytes; no per-name allocation for
    ///   native strings.
    public static func ranks(_ names: [String]) -> [Int32] {
        let order = names.indices.sorted { precedes(names[$0], names[$1]) }
        var rank = [Int32](repeating: 0, count: names.count)
        for (r, i) in order.enumerated() { rank[i] = Int32(r) }
        return rank
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in x.lexicographicallyPrecedes(y) }
        }
        return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// Sorted, duplicate-free prefix lists and their two-way difference by one linear merge.
///
/// Service-tag files list each tag's prefixes mostly sorted, so `sortedUnique` first checks and
/// skips the sort when it can; the merge then compares prefix values (two integers), never text.
enum SortedPrefixes {
    /// `prefixes` sorted ascending (address, then length) with duplicates removed.
    /// - Complexity: O(n) when already sorted, else O(n log n).
    static func sortedUnique<A>(_ prefixes: [Prefix<A>]) -> [Prefix<A>] {
        var strictlyAscending = true
        for i in prefixes.indices.dropFirst() where !(prefixes[i &- 1] < prefixes[i]) {
            strictlyAscending = false
            break
        }
        if strictlyAscending { return prefixes }
        var sorted = prefixes.sorted()
        var write = 0
        for read in sorted.indices where read == 0 || sorted[read] != sorted[write &- 1] {
            sorted[write] = sorted[read]
            write &+= 1
        }
        sorted.removeSubrange(write...)
        return sorted
    }

    /// The prefixes only in `old` and only in `new`, both sorted, given sorted duplicate-free inputs.
    /// - Complexity: O(m + n).
    static func difference<A>(_ old: [Prefix<A>], _ new: [Prefix<A>]) -> (removed: [Prefix<A>], added: [Prefix<A>]) {
        var removed: [Prefix<A>] = [], added: [Prefix<A>] = []
        var i = 0, j = 0
        while i < old.count && j < new.count {
            let a = old[i], b = new[j]
            if a == b {
                i &+= 1
                j &+= 1
            } else if a < b {
                removed.append(a)
                i &+= 1
            } else {
                added.append(b)
                j &+= 1
            }
        }
        removed.append(contentsOf: old[i...])
        added.append(contentsOf: new[j...])
        return (removed, added)
    }
}

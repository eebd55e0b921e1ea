extension FamilyIndex {
    /// Builds the index from `(prefix, tag)` pairs in any order; duplicates are harmless.
    /// - Complexity: O(n log n) for the sort (O(n) merges when tags list sorted prefixes), then
    ///   O(n + table nodes · 256).
    init(pairs: [(prefix: Prefix<A>, tag: TagID)]) {
        var pairs = pairs
        pairs.sort { $0.prefix != $1.prefix ? $0.prefix < $1.prefix : $0.tag < $1.tag }

        var prefixes: [Prefix<A>] = []
        var tagSet: [UInt32] = []
        var parent: [UInt32] = []
        var tagSetStart: [UInt32] = [0]
        var tagSetMembers: [TagID] = []
        var interned: [[TagID]: UInt32] = [:]
        var matchStart: [UInt32] = [0]
        var matches: [IndexMatch] = []
        matches.reserveCapacity(pairs.count * 2)
        var stack: [UInt32] = []   // chain of nodes enclosing the current one
        var members: [TagID] = []

        var i = 0
        while i < pairs.count {
            let p = pairs[i].prefix
            members.removeAll(keepingCapacity: true)
            while i < pairs.count && pairs[i].prefix == p {
                if members.last != pairs[i].tag { members.append(pairs[i].tag) }
                i += 1
            }
            let node = UInt32(prefixes.count)
            prefixes.append(p)
            if let s = interned[members] {
                tagSet.append(s)
            } else {
                let s = UInt32(tagSetStart.count - 1)
                interned[members] = s
                tagSetMembers.append(contentsOf: members)
                tagSetStart.append(UInt32(tagSetMembers.count))
                tagSet.append(s)
            }
            while let top = stack.last, !prefixes[Int(top)].contains(p) { stack.removeLast() }
            let up = stack.last ?? Self.noParent
            parent.append(up)
            stack.append(node)
            for t in members { matches.append(IndexMatch(tag: t, node: node)) }
            if up != Self.noParent {
                // Index, not slice: a slice would keep the buffer shared and make each append copy it.
                for j in Int(matchStart[Int(up)]) ..< Int(matchStart[Int(up) + 1]) where !members.contains(matches[j].tag) {
                    matches.append(matches[j])
                }
            }
            matchStart.append(UInt32(matches.count))
        }
        let values = (0 ..< UInt32(prefixes.count)).map { $0 + 1 }
        self.prefixes = prefixes
        self.parent = parent
        self.tagSet = tagSet
        self.tagSetStart = tagSetStart
        self.tagSetMembers = tagSetMembers
        self.matchStart = matchStart
        self.matches = matches
        self.table = StrideTableBuilder.build(prefixes, values: values)
    }
}

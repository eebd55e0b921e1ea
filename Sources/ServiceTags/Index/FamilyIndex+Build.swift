extension FamilyIndex {
    /// Builds the index from `(prefix, tag)` pairs in any order; duplicates are harmless. Tags are
    /// below `tagCount`.
    /// - Complexity: O(n) radix passes, then O(n + table nodes).
    init(pairs: [(prefix: Prefix<A>, tag: TagID)], tagCount: Int) {
        var pairs = pairs
        // By (address, length): stable passes, least significant key first.
        RadixSort.sort(&pairs) { $0.prefix.length }
        RadixSort.sort(&pairs) { $0.prefix.address.bits }

        var prefixes: [Prefix<A>] = []
        var tagSet: [UInt32] = []
        var parent: [UInt32] = []
        // Tag set `t` for `t < tagCount` is the singleton {t}; larger sets are interned after them.
        var sets = TagSetInterner(tagCount: tagCount)
        var matchStart: [UInt32] = [0]
        var matches: [IndexMatch] = []
        matches.reserveCapacity(pairs.count * 2)
        prefixes.reserveCapacity(pairs.count)
        parent.reserveCapacity(pairs.count)
        tagSet.reserveCapacity(pairs.count)
        matchStart.reserveCapacity(pairs.count + 1)
        var stack: [UInt32] = []   // chain of nodes enclosing the current one
        // The current prefix's tags are `members[..<count]`, the last multi-tag set's
        // `previousMembers[..<previousCount]`: reused buffers, never shrunk, so no array is emptied
        // and refilled per prefix (that alone was a tenth of the loop).
        var members: [TagID] = [], count = 0
        var previousMembers: [TagID] = [], previousCount = 0
        var previousSet: UInt32 = 0

        var i = 0
        while i < pairs.count {
            let p = pairs[i].prefix
            count = 0
            while i < pairs.count && pairs[i].prefix == p {
                if count < members.count { members[count] = pairs[i].tag } else { members.append(pairs[i].tag) }
                count += 1
                i += 1
            }
            // Canonical member lists, so equal sets intern to one ID.
            if count > 1 {
                members.withUnsafeMutableBufferPointer { all in
                    var run = UnsafeMutableBufferPointer(rebasing: all[..<count])
                    run.sort()
                }
                var unique = 1
                for k in 1 ..< count where members[k] != members[unique - 1] {
                    members[unique] = members[k]
                    unique += 1
                }
                count = unique
            }
            let node = UInt32(prefixes.count)
            prefixes.append(p)
            if count == 1 {
                tagSet.append(members[0])
            } else if members[..<count] == previousMembers[..<previousCount] {
                // Runs of prefixes shared by the same tags (a region and its global tag) are the
                // common case: no hashing for them.
                tagSet.append(previousSet)
            } else {
                let set = sets.intern(members[..<count])
                tagSet.append(set)
                for k in 0 ..< count {
                    if k < previousMembers.count { previousMembers[k] = members[k] } else { previousMembers.append(members[k]) }
                }
                previousCount = count
                previousSet = set
            }
            while let top = stack.last, !prefixes[Int(top)].contains(p) { stack.removeLast() }
            let up = stack.last ?? Self.noParent
            parent.append(up)
            stack.append(node)
            for k in 0 ..< count { matches.append(IndexMatch(tag: members[k], node: node)) }
            if up != Self.noParent {
                // Index, not slice: a slice would keep the buffer shared and make each append copy it.
                for j in Int(matchStart[Int(up)]) ..< Int(matchStart[Int(up) + 1]) where !members[..<count].contains(matches[j].tag) {
                    matches.append(matches[j])
                }
            }
            matchStart.append(UInt32(matches.count))
        }
        let values = (0 ..< UInt32(prefixes.count)).map { $0 + 1 }
        self.init(prefixes: IndexPrefixes(prefixes), parent: IndexArray(parent), tagSet: IndexArray(tagSet),
                  tagSetStart: IndexArray(sets.start), tagSetMembers: IndexArray(sets.members), matchStart: IndexArray(matchStart),
                  matches: IndexArray(matches), table: StrideTableBuilder.build(prefixes, values: values))
        checkInvariants(tagCount: tagCount)
    }
}

/// The interned tag sets of a `FamilyIndex` under construction: set `t < tagCount` is the
/// singleton {t} (most prefixes belong to one tag and need no hashing); each distinct larger set
/// gets the next ID, its members appended to `members`.
///
/// An open-addressing table over the member lists (hashed word by word) finds a set again:
/// a `[[TagID]: UInt32]` dictionary hashed each list with SipHash and was a fifth of building the
/// IPv4 family of a weekly file.
///
/// Invariant: set `s`'s members are `members[start[s] ..< start[s + 1]]`, sorted and distinct;
/// no two sets have equal members; `table` has a power-of-two count above twice the larger sets'.
struct TagSetInterner {
    private(set) var start: [UInt32]
    private(set) var members: [TagID]
    private let tagCount: Int
    /// Hash of each larger set, by `s - tagCount`.
    private var hashes: [UInt64] = []
    /// A larger set's ID, or -1 for an empty slot.
    private var table = [Int32](repeating: -1, count: 256)

    init(tagCount: Int) {
        self.tagCount = tagCount
        start = (0 ... UInt32(tagCount)).map { $0 }
        members = (0 ..< TagID(tagCount)).map { $0 }
    }

    /// The ID of the set with exactly these members.
    /// - Precondition: `list` is sorted and distinct, with at least two members below `tagCount`.
    /// - Complexity: O(list.count) expected.
    mutating func intern(_ list: ArraySlice<TagID>) -> UInt32 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        for t in list { hash = (hash ^ UInt64(t)) &* 0xFF51_AFD7_ED55_8CCD; hash ^= hash &>> 32 }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let s = Int(table[slot])
            if hashes[s - tagCount] == hash && Self.equal(members, Int(start[s]) ..< Int(start[s + 1]), list) { return UInt32(s) }
            slot = (slot + 1) & mask
        }
        let s = start.count - 1
        members.append(contentsOf: list)
        start.append(UInt32(members.count))
        hashes.append(hash)
        table[slot] = Int32(s)
        if hashes.count * 2 > table.count { grow() }
        return UInt32(s)
    }

    private static func equal(_ members: [TagID], _ range: Range<Int>, _ list: ArraySlice<TagID>) -> Bool {
        guard range.count == list.count else { return false }
        for (k, t) in zip(range, list) where members[k] != t { return false }
        return true
    }

    /// Doubles the table, placing every larger set again by its hash.
    private mutating func grow() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        for (i, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(tagCount + i)
        }
    }
}

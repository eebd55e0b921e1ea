/// Identifies a tag in a `TagIndex` (its position in `TagIndex.tags`).
public typealias TagID = UInt32

/// One answer of the combined index: a tag containing the address, and that tag's most specific
/// prefix containing it (a node of the family index).
public struct IndexMatch: Hashable, Sendable, BitwiseCopyable {
    public var tag: TagID
    /// Index into `FamilyIndex.prefixes`.
    public var node: UInt32
}

/// The combined index of one family: every distinct prefix of every tag, each labelled with the
/// interned set of tags that list it, and a `StrideTable` for longest-prefix match over them.
///
/// Why it answers "every tag, each with its most specific prefix" in one probe: CIDR prefixes are
/// laminar (two either nest or are disjoint), so the distinct prefixes containing an address form a
/// chain, and the deepest one determines the whole chain. Each node therefore stores its answer
/// list precomputed: its own tags (with itself as prefix), then its parent's answers for the other
/// tags. A lookup is one longest-prefix match plus a slice.
///
/// Invariants: `prefixes` sorted and distinct; `parent[i] < i` or `noParent`; node `i`'s answers
/// are `matches[matchStart[i] ..< matchStart[i + 1]]`, most specific first, one per tag; the table's
/// value for an address is 1 + the deepest node containing it, 0 when none does.
public struct FamilyIndex<A: IPAddressFamily>: Sendable {
    public static var noParent: UInt32 { .max }
    /// Distinct prefixes over all tags, sorted.
    public let prefixes: IndexPrefixes<A>
    /// The closest enclosing distinct prefix of each node, or `noParent`.
    public let parent: IndexArray<UInt32>
    /// The interned set of tags that list each prefix themselves.
    public let tagSet: IndexArray<UInt32>
    /// Interned tag sets: members of set `s` are `tagSetMembers[tagSetStart[s] ..< tagSetStart[s + 1]]`.
    public let tagSetStart: IndexArray<UInt32>
    public let tagSetMembers: IndexArray<TagID>
    @usableFromInline let matchStart: IndexArray<UInt32>
    @usableFromInline let matches: IndexArray<IndexMatch>
    /// Built or loaded without jumps; `withJumps()` adds them once the table is known valid.
    @usableFromInline private(set) var table: StrideTable<A>

    init(prefixes: IndexPrefixes<A>, parent: IndexArray<UInt32>, tagSet: IndexArray<UInt32>, tagSetStart: IndexArray<UInt32>,
         tagSetMembers: IndexArray<TagID>, matchStart: IndexArray<UInt32>, matches: IndexArray<IndexMatch>, table: StrideTable<A>) {
        self.prefixes = prefixes
        self.parent = parent
        self.tagSet = tagSet
        self.tagSetStart = tagSetStart
        self.tagSetMembers = tagSetMembers
        self.matchStart = matchStart
        self.matches = matches
        self.table = table
    }

    /// This index with its table's `JumpTable` (`StrideTable.withJumps`); the table must be valid.
    func withJumps() -> FamilyIndex {
        var index = self
        index.table = table.withJumps()
        return index
    }

    /// The deepest node containing `address`, or `nil`.
    /// - Complexity: one `StrideTable` probe.
    @inlinable @inline(__always)
    public func node(containing address: A) -> UInt32? {
        let v = table.value(for: address.bits)
        return v == 0 ? nil : v &- 1
    }

    /// The deepest node containing all of `prefix`, or `nil`.
    /// - Complexity: one probe plus a walk up the (short) chain of enclosing prefixes.
    public func node(containing prefix: Prefix<A>) -> UInt32? {
        guard var n = node(containing: prefix.address) else { return nil }
        while prefixes[Int(n)].length > prefix.length {
            n = parent[Int(n)]
            if n == Self.noParent { return nil }
        }
        return n
    }

    /// Every tag containing the node's prefix with its most specific prefix, most specific first.
    @inlinable
    public func matches(of node: UInt32) -> Slice<IndexArray<IndexMatch>> {
        matches[Int(matchStart[Int(node)]) ..< Int(matchStart[Int(node) + 1])]
    }

    /// Members of an interned tag set.
    public func members(ofTagSet s: UInt32) -> Slice<IndexArray<TagID>> {
        tagSetMembers[Int(tagSetStart[Int(s)]) ..< Int(tagSetStart[Int(s) + 1])]
    }

    public var tagSetCount: Int { tagSetStart.count - 1 }
    /// Bytes held by the lookup structures (table, nodes, answers).
    public var byteCount: Int {
        table.byteCount + prefixes.count * (MemoryLayout<Prefix<A>>.stride + 12) + matches.count * 8
            + tagSetMembers.count * 4
    }
    public var tableNodeCount: Int { table.nodeCount }
}

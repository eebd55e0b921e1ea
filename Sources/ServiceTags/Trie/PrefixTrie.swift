/// A path-compressed binary radix trie (PATRICIA) over the prefixes of one tag and one family.
///
/// Storage is a node arena of parallel flat arrays indexed by `UInt32`; there is no class per node
/// and no ARC traffic while walking. Node 0 is the root (key `0/0`). Every node is either a stored
/// prefix or a branch point with two children, so a trie of `n` prefixes has fewer than `2n + 1`
/// nodes.
///
/// ```
///            0.0.0.0/0 (root, not stored)
///             /                \
///     10.0.0.0/8 (stored)    192.168.0.0/23 (branch)
///        |                     /         \
///   10.1.0.0/16 (stored)  .0.0/24 (s)   .1.0/24 (s)
/// ```
///
/// Invariants: a child's key extends its parent's key (`child.length > parent.length` and the
/// parent's key is a prefix of the child's); child `b` of a node of length `L` has bit `L` equal
/// to `b`; keys are canonical (no bits past `length`).
///
/// Built by `PrefixTrieBuilder`, immutable afterwards (`Sendable` for free).
/// Many tries can share one arena (`PrefixTrieBuilder` builds every tag's trie into the same
/// arrays), so building 3,000 tags' tries costs a handful of allocations, not tens of thousands.
public struct PrefixTrie<A: IPAddressFamily>: Sendable {
    @usableFromInline let _arena: PrefixTrieArena<A>
    /// This trie's root node in the arena.
    @usableFromInline let _root: Int
    /// The stored prefixes, sorted and without duplicates.
    public let prefixes: ArraySlice<Prefix<A>>

    init(arena: PrefixTrieArena<A>, root: Int, prefixes: ArraySlice<Prefix<A>>) {
        _arena = arena
        _root = root
        self.prefixes = prefixes
    }

    /// Number of distinct prefixes stored.
    public var count: Int { prefixes.count }
    public var isEmpty: Bool { prefixes.isEmpty }

    /// A trie holding `prefixes` (duplicates are stored once).
    /// - Complexity: O(n) for sorted input, O(n log n) otherwise.
    public init(_ prefixes: some Sequence<Prefix<A>>) {
        var builder = PrefixTrieBuilder<A>()
        builder.addTrie(Array(prefixes))
        self = builder.finish()[0]
    }
}

/// The node arena shared by the tries of one builder: parallel flat arrays indexed by node.
public struct PrefixTrieArena<A: IPAddressFamily>: Sendable {
    /// Key bits of each node (canonical for its length).
    @usableFromInline let keys: [A.Bits]
    /// Length of each node's key.
    @usableFromInline let lengths: [UInt8]
    /// Whether each node is a stored prefix (as opposed to a branch point or an empty root).
    @usableFromInline let stored: [Bool]
    /// Children of node `i` at `2i` (next bit 0) and `2i + 1` (next bit 1); 0 means none (node 0
    /// is the first trie's root, which is never a child).
    @usableFromInline let children: [UInt32]

    /// Number of nodes (for memory accounting and tests).
    public var nodeCount: Int { keys.count }
}

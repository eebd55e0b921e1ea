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
public struct PrefixTrie<A: IPAddressFamily>: Sendable {
    /// Key bits of each node (canonical for its length).
    @usableFromInline var _keys: [A.Bits]
    /// Length of each node's key.
    @usableFromInline var _lengths: [UInt8]
    /// Whether each node is a stored prefix (as opposed to a branch point or the empty root).
    @usableFromInline var _stored: [Bool]
    /// Children of node `i` at `2i` (next bit 0) and `2i + 1` (next bit 1); 0 means none (the root
    /// is never a child).
    @usableFromInline var _children: [UInt32]
    /// The stored prefixes, sorted and without duplicates.
    public let prefixes: [Prefix<A>]

    init(keys: [A.Bits], lengths: [UInt8], stored: [Bool], children: [UInt32], prefixes: [Prefix<A>]) {
        _keys = keys
        _lengths = lengths
        _stored = stored
        _children = children
        self.prefixes = prefixes
    }

    /// Number of distinct prefixes stored.
    public var count: Int { prefixes.count }
    public var isEmpty: Bool { prefixes.isEmpty }
    /// Number of nodes in the arena (for memory accounting and tests).
    public var nodeCount: Int { _keys.count }

    /// A trie holding `prefixes` (duplicates are stored once).
    /// - Complexity: O(n · w) where w is the address width.
    public init(_ prefixes: some Sequence<Prefix<A>>) {
        var builder = PrefixTrieBuilder<A>()
        for p in prefixes { builder.insert(p) }
        self = builder.finish()
    }
}

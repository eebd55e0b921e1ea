/// Builds one or more `PrefixTrie`s into one shared arena; `finish()` hands over the arrays
/// without copying.
///
/// Each trie is built in one pass over its prefixes in sorted order (weekly files list every tag's
/// prefixes sorted and without duplicates; other input is sorted first). The builder keeps the
/// path from the root to the last prefix on a stack: a new prefix pops the nodes that do not
/// contain it, then either hangs below the deepest remaining node or, when it shares more bits
/// with the last popped subtree than with that node, splits the edge with a branch node at the
/// longest common prefix (one XOR and `leadingZeroBitCount`). Every node is pushed and popped at
/// most once, so a trie of `n` prefixes costs O(n) instead of O(n · depth) for one insert at a time.
public struct PrefixTrieBuilder<A: IPAddressFamily> {
    var keys: [A.Bits] = []
    var lengths: [UInt8] = []
    var stored: [Bool] = []
    var children: [UInt32] = []
    var roots: [Int] = []
    /// Every trie's prefixes, sorted and distinct, one trie after another.
    var sorted: [Prefix<A>] = []
    var bounds: [Range<Int>] = []
    /// The current root-to-last-prefix path (reused by every trie).
    var path: [Int] = []

    public init() {}

    /// Reserves space for about `n` prefixes in all.
    public mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(2 * n + 1)
        lengths.reserveCapacity(2 * n + 1)
        stored.reserveCapacity(2 * n + 1)
        children.reserveCapacity(4 * n + 2)
        sorted.reserveCapacity(n)
    }

    @inline(__always)
    static func bit(_ bits: A.Bits, at index: Int) -> Int { A.field(bits, from: index, count: 1) }

    mutating func newNode(_ key: A.Bits, _ length: Int, stored isStored: Bool) -> Int {
        keys.append(key)
        lengths.append(UInt8(length))
        stored.append(isStored)
        children.append(0)
        children.append(0)
        return keys.count - 1
    }

    @inline(__always)
    func covers(_ node: Int, _ p: Prefix<A>) -> Bool {
        let length = Int(lengths[node])
        return length <= Int(p.length) && p.address.bits & A.mask(length: length) == keys[node]
    }

    /// Adds a trie holding `prefixes` (any order; duplicates are stored once).
    /// - Complexity: O(n) for sorted input, O(n log n) otherwise.
    public mutating func addTrie(_ prefixes: [Prefix<A>]) {
        var list = prefixes
        if !zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }) {
            list.sort()
            var unique: [Prefix<A>] = []
            for p in list where unique.last != p { unique.append(p) }
            list = unique
        }
        let root = newNode(0, 0, stored: false)
        roots.append(root)
        let start = sorted.count
        path.removeAll(keepingCapacity: true)
        path.append(root)
        for p in list {
            var popped = -1
            while !covers(path[path.count - 1], p) { popped = path.removeLast() }
            let top = path[path.count - 1]
            sorted.append(p)
            if Int(lengths[top]) == Int(p.length) {
                stored[top] = true          // a branch point (or the root, for /0) that is also listed
                continue
            }
            let key = p.address.bits
            let length = Int(p.length)
            let slot = top * 2 + Self.bit(key, at: Int(lengths[top]))
            let child = Int(children[slot])
            if child == 0 {
                let leaf = newNode(key, length, stored: true)
                children[slot] = UInt32(leaf)
                path.append(leaf)
                continue
            }
            // The child on p's side is the subtree just popped: split its edge.
            assert(child == popped)
            let childLength = Int(lengths[child])
            let common = min((key ^ keys[child]).leadingZeroBitCount, length, childLength)
            if common == length {
                // p contains the subtree (not produced by sorted input, kept for safety).
                let node = newNode(key, length, stored: true)
                children[node * 2 + Self.bit(keys[child], at: length)] = UInt32(child)
                children[slot] = UInt32(node)
                path.append(node)
                continue
            }
            let branch = newNode(key & A.mask(length: common), common, stored: false)
            let leaf = newNode(key, length, stored: true)
            children[branch * 2 + Self.bit(keys[child], at: common)] = UInt32(child)
            children[branch * 2 + Self.bit(key, at: common)] = UInt32(leaf)
            children[slot] = UInt32(branch)
            path.append(branch)
            path.append(leaf)
        }
        bounds.append(start ..< sorted.count)
    }

    /// The immutable tries, in `addTrie` order. The builder is consumed.
    /// - Complexity: O(number of tries).
    public consuming func finish() -> [PrefixTrie<A>] {
        let arena = PrefixTrieArena<A>(keys: keys, lengths: lengths, stored: stored, children: children)
        let all = sorted
        return zip(roots, bounds).map { PrefixTrie(arena: arena, root: $0, prefixes: all[$1]) }
    }
}

/// Accumulates prefixes into one or more `PrefixTrie`s sharing one arena; `finish()` hands over
/// the arrays without copying.
///
/// Insertion walks down from the root and either marks an existing node, hangs a new leaf on an
/// empty child slot, inserts the new prefix above a child it contains, or splits the edge with a
/// branch node at the longest common prefix (found with one XOR and `leadingZeroBitCount`).
public struct PrefixTrieBuilder<A: IPAddressFamily> {
    var keys: [A.Bits] = []
    var lengths: [UInt8] = []
    var stored: [Bool] = []
    var children: [UInt32] = []
    var roots: [Int] = []
    var prefixCount = 0

    public init() {}

    /// Starts a new, empty trie and returns its handle for `insert(_:into:)`.
    public mutating func newTrie() -> Int {
        let root = Int(newNode(0, 0, stored: false))
        roots.append(root)
        return root
    }

    /// Reserves space for about `n` prefixes.
    public mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(2 * n + 1)
        lengths.reserveCapacity(2 * n + 1)
        stored.reserveCapacity(2 * n + 1)
        children.reserveCapacity(4 * n + 2)
    }

    @inline(__always)
    static func bit(_ bits: A.Bits, at index: Int) -> Int {
        A.field(bits, from: index, count: 1)
    }

    mutating func newNode(_ key: A.Bits, _ length: Int, stored isStored: Bool) -> UInt32 {
        keys.append(key)
        lengths.append(UInt8(length))
        stored.append(isStored)
        children.append(0)
        children.append(0)
        if isStored { prefixCount += 1 }
        return UInt32(keys.count - 1)
    }

    /// Adds `prefix` to the trie `root`; adding one already present changes nothing.
    /// - Complexity: O(w).
    public mutating func insert(_ prefix: Prefix<A>, into root: Int) {
        let key = prefix.address.bits
        let length = Int(prefix.length)
        var node = root
        while true {
            let nodeLength = Int(lengths[node])
            if nodeLength == length {
                if !stored[node] { stored[node] = true; prefixCount += 1 }
                return
            }
            let slot = node * 2 + Self.bit(key, at: nodeLength)
            let child = Int(children[slot])
            if child == 0 {
                children[slot] = newNode(key, length, stored: true)
                return
            }
            let childLength = Int(lengths[child])
            let common = min((key ^ keys[child]).leadingZeroBitCount, length, childLength)
            if common == childLength { node = child; continue }
            if common == length {
                // The new prefix sits between `node` and `child`.
                let new = newNode(key, length, stored: true)
                children[Int(new) * 2 + Self.bit(keys[child], at: length)] = UInt32(child)
                children[slot] = new
                return
            }
            let branch = newNode(key & A.mask(length: common), common, stored: false)
            let leaf = newNode(key, length, stored: true)
            children[Int(branch) * 2 + Self.bit(keys[child], at: common)] = UInt32(child)
            children[Int(branch) * 2 + Self.bit(key, at: common)] = leaf
            children[slot] = branch
            return
        }
    }

    /// The immutable tries, in `newTrie()` order. The builder is consumed.
    /// - Complexity: O(nodes) to list each trie's stored prefixes in order.
    public consuming func finish() -> [PrefixTrie<A>] {
        var sorted: [Prefix<A>] = []
        sorted.reserveCapacity(prefixCount)
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(roots.count)
        var stack: [UInt32] = []
        for root in roots {
            let start = sorted.count
            // Pre-order with child 0 before child 1 visits keys in (address, length) order.
            stack.append(UInt32(root))
            while let n = stack.popLast() {
                let i = Int(n)
                if stored[i] { sorted.append(Prefix(unchecked: A(bits: keys[i]), length: Int(lengths[i]))) }
                if children[2 * i + 1] != 0 { stack.append(children[2 * i + 1]) }
                if children[2 * i] != 0 { stack.append(children[2 * i]) }
            }
            bounds.append(start ..< sorted.count)
        }
        let arena = PrefixTrieArena<A>(keys: keys, lengths: lengths, stored: stored, children: children)
        return zip(roots, bounds).map { PrefixTrie(arena: arena, root: $0, prefixes: sorted[$1]) }
    }
}

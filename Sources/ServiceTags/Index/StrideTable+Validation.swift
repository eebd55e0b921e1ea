/// The structural checks that make `value(for:)` safe and terminating on any arrays, not only the
/// builder's: run in debug builds at the end of building (`checkInvariants()`) and on every table a
/// compiled index loads (`validate(maxValue:)`), so the two stay the same checks.
///
/// What `value(for:)` relies on, and so what is checked (see the type's doc comment for the layout):
/// - the root has 2^`rootBits` entries; a plain entry is a value ≤ `maxValue`, a child entry
///   (`childFlag`) names a node below `nodeCount`;
/// - `_nodes.count == nodeCount * nodeWords`, `_key` and `_fallback` have `nodeCount` entries;
/// - per node: `depth` a multiple of `strideBits` in `rootBits ... bitWidth - strideBits`, no flag
///   bits but `compressedFlag`, word counts equal to the bitmaps' (`rank` adds them unchecked), and
///   `key` without bits past `depth` and beginning with the path to the node (its parent's key,
///   then its slot: the jump table trusts keys);
///   `childBase + popcount(childBits) <= nodeCount`, `leafBase + popcount(leafBits) <= leaves.count`,
///   no slot both child and leaf-run start, and a run starting at or before the first leaf slot
///   (else a leaf's rank would be 0 and its index `leafBase - 1`);
/// - every node is the child of exactly one slot, starts at or below the end of that slot
///   (`depth >= parentDepth + strideBits`, so a lookup descends strictly and ends within
///   `(bitWidth - rootBits) / strideBits` steps), and is marked compressed exactly when it starts
///   below it;
/// - every leaf and fallback value is ≤ `maxValue`.
///
/// - Complexity: O(root + nodes + leaves).
extension StrideTable {
    /// Throws the first violated invariant; `maxValue` is the largest value an entry may hold.
    public func validate(maxValue: UInt32) throws(IndexInvariantViolation) {
        let nodeCount = _key.count
        guard _root.count == 1 << Self.rootBits else {
            throw IndexInvariantViolation("root", 0, "\(_root.count) entries, expected \(1 << Self.rootBits)")
        }
        guard _fallback.count == nodeCount else {
            throw IndexInvariantViolation("fallback", 0, "\(_fallback.count) entries for \(nodeCount) nodes")
        }
        guard _nodes.count == nodeCount * Self.nodeWords else {
            throw IndexInvariantViolation("nodes", 0, "\(_nodes.count) words for \(nodeCount) nodes of \(Self.nodeWords) words")
        }
        // Per node: the depth at which the slot naming it as a child ends, 0 while no slot does
        // (a slot ends at rootBits or deeper, so 0 is free). One buffer, no closure: this runs on
        // every load.
        let slotEnd = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: nodeCount + 1)  // + 1: never empty
        defer { slotEnd.deallocate() }
        slotEnd.initialize(repeating: 0)
        let root = _root.base, nodes = _nodes.base
        // Eight slots a step: most hold plain values (a branch-free maximum over the group); only a
        // group with a child entry or a value too large is walked slot by slot. (One branch per
        // slot was a third of this function for the 2^16 slots of each family.)
        let group = 8
        precondition(root.count % group == 0)
        for start in stride(from: 0, to: root.count, by: group) {
            var flags: UInt32 = 0, largest: UInt32 = 0
            for s in start ..< start + group {
                flags |= root[s] & Self.childFlag
                largest = max(largest, root[s] & ~Self.childFlag)
            }
            if flags == 0 && largest <= maxValue { continue }
            for s in start ..< start + group {
                let entry = root[s]
                if entry & Self.childFlag != 0 {
                    try Self.adopt(Int(entry & ~Self.childFlag), end: Self.rootBits, nodeCount, slotEnd, "root", s)
                    try checkPath(Int(entry & ~Self.childFlag), parentKey: 0, slot: s, end: Self.rootBits)
                } else if entry > maxValue {
                    throw IndexInvariantViolation("root", s, "value \(entry) above the largest value \(maxValue)")
                }
            }
        }
        for n in 0 ..< nodeCount {
            try validateNode(n, nodes, slotEnd)
        }
        // Parents precede nothing in particular (children are allocated before they are filled),
        // so depths are checked once every node's parent slot is known.
        for n in 0 ..< nodeCount {
            let word = n * Self.nodeWords + 1
            guard slotEnd[n] != 0 else { throw IndexInvariantViolation("nodes", word, "node \(n) is no slot's child") }
            let info = nodes[word], end = Int(slotEnd[n])
            let depth = Int(info & Self.depthMask)
            guard depth >= end else {
                throw IndexInvariantViolation("nodes", word, "node \(n) starts at bit \(depth), above its parent slot's end \(end)")
            }
            guard (info & Self.compressedFlag != 0) == (depth != end) else {
                throw IndexInvariantViolation("nodes", word, "node \(n)'s compressed flag disagrees with its depth \(depth) below a slot ending at \(end)")
            }
        }
        let fallback = _fallback.base, leaves = _leaves.base
        if fallback.maximum() > maxValue {
            for i in 0 ..< fallback.count where fallback[i] > maxValue {
                throw IndexInvariantViolation("fallback", i, "value \(fallback[i]) above the largest value \(maxValue)")
            }
        }
        if leaves.maximum() > maxValue {
            for i in 0 ..< leaves.count where leaves[i] > maxValue {
                throw IndexInvariantViolation("leaves", i, "value \(leaves[i]) above the largest value \(maxValue)")
            }
        }
    }

    /// Records that a slot ending at bit `end` names `child`: it must be a node, and no other
    /// slot's child.
    @inline(__always)
    private static func adopt(_ child: Int, end: Int, _ nodeCount: Int, _ slotEnd: UnsafeMutableBufferPointer<UInt8>,
                              _ array: String, _ element: Int) throws(IndexInvariantViolation) {
        guard child < nodeCount, child >= 0 else {
            throw IndexInvariantViolation(array, element, "child node \(child) is not below the node count \(nodeCount)")
        }
        guard slotEnd[child] == 0 else { throw IndexInvariantViolation(array, element, "node \(child) is the child of two slots") }
        slotEnd[child] = UInt8(end)
    }

    /// One node's own fields; its children are adopted.
    private func validateNode(_ n: Int, _ nodes: UnsafeBufferPointer<UInt64>, _ slotEnd: UnsafeMutableBufferPointer<UInt8>) throws(IndexInvariantViolation) {
        let nodeCount = _key.count
        let base = n * Self.nodeWords
        let header = nodes[base + Self.baseWord], info = nodes[base + Self.infoWord]
        let depth = Int(info & Self.depthMask)
        let counts = (info >> Self.childCountsShift) << Self.childCountsShift
        guard info & ~(Self.depthMask | Self.compressedFlag | counts) == 0 else {
            throw IndexInvariantViolation("nodes", base + Self.infoWord, "node \(n) has unknown flag bits \(info)")
        }
        guard depth % Self.strideBits == 0, depth >= Self.rootBits, depth <= A.bitWidth - Self.strideBits else {
            throw IndexInvariantViolation("nodes", base + Self.infoWord, "node \(n) has depth \(depth), not a multiple of \(Self.strideBits) in \(Self.rootBits)...\(A.bitWidth - Self.strideBits)")
        }
        guard _key.base[n] & ~A.mask(length: depth) == 0 else {
            throw IndexInvariantViolation("key", n, "node \(n)'s key has bits past its depth \(depth)")
        }
        let c0 = nodes[base + Self.childMapWord], c1 = nodes[base + Self.childMapWord + 1]
        let c2 = nodes[base + Self.childMapWord + 2], c3 = nodes[base + Self.childMapWord + 3]
        let l0 = nodes[base + Self.leafMapWord], l1 = nodes[base + Self.leafMapWord + 1]
        let l2 = nodes[base + Self.leafMapWord + 2], l3 = nodes[base + Self.leafMapWord + 3]
        if (c0 & l0) | (c1 & l1) | (c2 & l2) | (c3 & l3) != 0 {
            for w in 0 ..< 4 where nodes[base + Self.childMapWord + w] & nodes[base + Self.leafMapWord + w] != 0 {
                throw IndexInvariantViolation("nodes", base + Self.leafMapWord + w, "node \(n) has a slot that is both a child and a leaf run")
            }
        }
        // `rank` trusts these counts to stay inside the node's children and leaves.
        let childCounts = Self.wordCounts(c0, c1, c2), leafCounts = Self.wordCounts(l0, l1, l2)
        guard counts == childCounts << Self.childCountsShift | leafCounts << Self.leafCountsShift else {
            throw IndexInvariantViolation("nodes", base + Self.infoWord, "node \(n)'s word counts \(info >> Self.childCountsShift) disagree with its bitmaps")
        }
        // The third count is the set bits of words 0...2: only word 3 is left to count.
        let children = Int(childCounts >> 16) + c3.nonzeroBitCount
        let leaves = Int(leafCounts >> 16) + l3.nonzeroBitCount
        // Leaf-run starts are leaf slots (no slot is both), so a run starts at or before the first
        // leaf slot exactly when that slot starts one.
        let (c, l) = ~c0 != 0 ? (c0, l0) : ~c1 != 0 ? (c1, l1) : ~c2 != 0 ? (c2, l2) : (c3, l3)
        let firstLeafBit = ~c & (0 &- ~c)
        if firstLeafBit != 0 && l & firstLeafBit == 0 {
            let w = ~c0 != 0 ? 0 : ~c1 != 0 ? 1 : ~c2 != 0 ? 2 : 3
            throw IndexInvariantViolation("nodes", base + Self.leafMapWord, "node \(n)'s leaf slot \(w * 64 + firstLeafBit.trailingZeroBitCount) starts no run and follows none")
        }
        let childBase = Int(header & 0xFFFF_FFFF), leafBase = Int(header >> 32)
        guard childBase + children <= nodeCount else {
            throw IndexInvariantViolation("nodes", base, "node \(n)'s children \(childBase)..<\(childBase + children) pass the node count \(nodeCount)")
        }
        guard leafBase + leaves <= _leaves.count else {
            throw IndexInvariantViolation("nodes", base, "node \(n)'s leaves \(leafBase)..<\(leafBase + leaves) pass the \(_leaves.count) leaves")
        }
        for child in childBase ..< childBase + children { try Self.adopt(child, end: depth + Self.strideBits, nodeCount, slotEnd, "nodes", base) }
        // The children in slot order (they are consecutive from childBase), each against its slot.
        var child = childBase
        for w in 0 ..< 4 {
            var bits = nodes[base + Self.childMapWord + w]
            while bits != 0 {
                try checkPath(child, parentKey: _key.base[n], slot: w * 64 + bits.trailingZeroBitCount, end: depth + Self.strideBits)
                bits &= bits &- 1
                child += 1
            }
        }
    }

    /// `slot` as the address bits `end - strideBits ..< end`.
    static func slotBits(_ slot: Int, end: Int) -> A.Bits {
        A.Bits(truncatingIfNeeded: slot) << (A.bitWidth - end)
    }

    /// A node's key begins with the bits of the path to it: its parent's key, then the slot naming
    /// it. Lookups never read a key they do not first reach by that path, but the jump table
    /// (`StrideTable+Jumps.swift`) goes from a key straight to its node, so a key must say where
    /// its node is. `child` is already known to be below the node count.
    @inline(__always)
    private func checkPath(_ child: Int, parentKey: A.Bits, slot: Int, end: Int) throws(IndexInvariantViolation) {
        let path = parentKey | Self.slotBits(slot, end: end)
        guard _key.base[child] & A.mask(length: end) == path else {
            throw IndexInvariantViolation("key", child, "node \(child)'s key does not begin with the path to it (slot \(slot) of a level ending at bit \(end))")
        }
    }

    /// Debug builds: stops on the first broken invariant (the builder's output must pass
    /// `validate`). Release builds: nothing.
    func checkInvariants(maxValue: @autoclosure () -> UInt32) {
        assert({
            do throws(IndexInvariantViolation) { try validate(maxValue: maxValue()) } catch { assertionFailure("StrideTable invariant: \(error)") }
            return true
        }())
    }
}

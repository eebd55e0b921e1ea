/// The structural checks that make `value(for:)` safe and terminating on any arrays, not only the
/// builder's: run in debug builds at the end of building (`checkInvariants()`) and on every table a
/// compiled index loads (`validate(maxValue:)`), so the two stay the same checks.
///
/// What `value(for:)` relies on, and so what is checked (see the type's doc comment for the layout):
/// - the root has 2^`rootBits` entries; a plain entry is a value ≤ `maxValue`, a child entry
///   (`childFlag`) names a node below `nodeCount`;
/// - `_nodes.count == nodeCount * nodeWords`, `_key` and `_fallback` have `nodeCount` entries;
/// - per node: `depth` a multiple of `strideBits` in `rootBits ... bitWidth - strideBits`, no flag
///   bits but `compressedFlag`, and `key` without bits past `depth`;
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
        // How many slots name each node as their child, and the depth at which that slot ends.
        var parents = [UInt8](repeating: 0, count: nodeCount)
        var slotEnd = [Int](repeating: 0, count: nodeCount)
        func adopt(_ child: Int, end: Int, array: String, element: Int) throws(IndexInvariantViolation) {
            guard child < nodeCount else {
                throw IndexInvariantViolation(array, element, "child node \(child) is not below the node count \(nodeCount)")
            }
            guard parents[child] == 0 else { throw IndexInvariantViolation(array, element, "node \(child) is the child of two slots") }
            parents[child] = 1
            slotEnd[child] = end
        }
        for (s, entry) in _root.enumerated() {
            if entry & Self.childFlag != 0 {
                try adopt(Int(entry & ~Self.childFlag), end: Self.rootBits, array: "root", element: s)
            } else if entry > maxValue {
                throw IndexInvariantViolation("root", s, "value \(entry) above the largest value \(maxValue)")
            }
        }
        for n in 0 ..< nodeCount {
            try validateNode(n, maxValue: maxValue, adopt: adopt)
        }
        // Parents precede nothing in particular (children are allocated before they are filled),
        // so depths are checked once every node's parent slot is known.
        for n in 0 ..< nodeCount {
            let word = n * Self.nodeWords + 1
            guard parents[n] == 1 else { throw IndexInvariantViolation("nodes", word, "node \(n) is no slot's child") }
            let info = _nodes[word]
            let depth = Int(info & Self.depthMask)
            guard depth >= slotEnd[n] else {
                throw IndexInvariantViolation("nodes", word, "node \(n) starts at bit \(depth), above its parent slot's end \(slotEnd[n])")
            }
            guard (info & Self.compressedFlag != 0) == (depth != slotEnd[n]) else {
                throw IndexInvariantViolation("nodes", word, "node \(n)'s compressed flag disagrees with its depth \(depth) below a slot ending at \(slotEnd[n])")
            }
        }
        for (i, v) in _fallback.enumerated() where v > maxValue {
            throw IndexInvariantViolation("fallback", i, "value \(v) above the largest value \(maxValue)")
        }
        for (i, v) in _leaves.enumerated() where v > maxValue {
            throw IndexInvariantViolation("leaves", i, "value \(v) above the largest value \(maxValue)")
        }
    }

    /// One node's own fields; its children are handed to `adopt`.
    private func validateNode(_ n: Int, maxValue: UInt32,
                              adopt: (Int, Int, String, Int) throws(IndexInvariantViolation) -> Void) throws(IndexInvariantViolation) {
        let base = n * Self.nodeWords
        let header = _nodes[base + Self.baseWord], info = _nodes[base + Self.infoWord]
        let depth = Int(info & Self.depthMask)
        guard info & ~(Self.depthMask | Self.compressedFlag) == 0 else {
            throw IndexInvariantViolation("nodes", base + Self.infoWord, "node \(n) has unknown flag bits \(info)")
        }
        guard depth % Self.strideBits == 0, depth >= Self.rootBits, depth <= A.bitWidth - Self.strideBits else {
            throw IndexInvariantViolation("nodes", base + Self.infoWord, "node \(n) has depth \(depth), not a multiple of \(Self.strideBits) in \(Self.rootBits)...\(A.bitWidth - Self.strideBits)")
        }
        guard _key[n] & ~A.mask(length: depth) == 0 else {
            throw IndexInvariantViolation("key", n, "node \(n)'s key has bits past its depth \(depth)")
        }
        var children = 0, leaves = 0
        var firstLeafSlot = -1, firstRun = -1
        for w in 0 ..< 4 {
            let child = _nodes[base + Self.childMapWord + w], leaf = _nodes[base + Self.leafMapWord + w]
            guard child & leaf == 0 else {
                throw IndexInvariantViolation("nodes", base + Self.leafMapWord + w, "node \(n) has a slot that is both a child and a leaf run")
            }
            children += child.nonzeroBitCount
            leaves += leaf.nonzeroBitCount
            if firstLeafSlot < 0 && ~child != 0 { firstLeafSlot = w * 64 + (~child).trailingZeroBitCount }
            if firstRun < 0 && leaf != 0 { firstRun = w * 64 + leaf.trailingZeroBitCount }
        }
        if firstLeafSlot >= 0 && (firstRun < 0 || firstRun > firstLeafSlot) {
            throw IndexInvariantViolation("nodes", base + Self.leafMapWord, "node \(n)'s leaf slot \(firstLeafSlot) starts no run and follows none")
        }
        let childBase = Int(header & 0xFFFF_FFFF), leafBase = Int(header >> 32)
        guard childBase + children <= _key.count else {
            throw IndexInvariantViolation("nodes", base, "node \(n)'s children \(childBase)..<\(childBase + children) pass the node count \(_key.count)")
        }
        guard leafBase + leaves <= _leaves.count else {
            throw IndexInvariantViolation("nodes", base, "node \(n)'s leaves \(leafBase)..<\(leafBase + leaves) pass the \(_leaves.count) leaves")
        }
        for c in childBase ..< childBase + children { try adopt(c, depth + Self.strideBits, "nodes", base) }
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

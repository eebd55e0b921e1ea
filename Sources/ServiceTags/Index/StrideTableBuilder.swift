/// Builds a `StrideTable` from sorted, distinct prefixes and their values.
///
/// The root is laid out as plain entries; a node is built straight in compressed form from the
/// prefixes ending inside it. A node's children get consecutive indexes before any of them is
/// filled, which is what lets a lookup find a child by rank.
struct StrideTableBuilder<A: IPAddressFamily> {
    private typealias Table = StrideTable<A>
    private static var rootBits: Int { Table.rootBits }
    private static var strideBits: Int { Table.strideBits }
    /// Slots of a node: 2^strideBits.
    private static var slots: Int { 1 << Table.strideBits }
    private var root = [UInt32](repeating: 0, count: 1 << Table.rootBits)
    private var childBits: [UInt64] = []
    private var leafBits: [UInt64] = []
    private var childBase: [UInt32] = []
    private var leafBase: [UInt32] = []
    private var leaves: [UInt32] = []
    private var depth: [UInt8] = []
    private var compressed: [Bool] = []
    /// Children still to fill, of every node on the current recursion path.
    private var pending: [(slot: Int, range: Range<Int>, fallback: UInt32)] = []
    /// The sweep's stack of open intervals (slot end, value), reused by every node.
    private var open: [(end: Int, value: UInt32)] = []
    private var key: [A.Bits] = []
    private var fallback: [UInt32] = []
    private init() {}

    /// `prefixes` must be sorted (address, then length) and distinct; `values[i]` (non-zero, below
    /// 2^31) belongs to `prefixes[i]`.
    /// - Complexity: O(n + nodes · 256).
    static func build(_ prefixes: [Prefix<A>], values: [UInt32]) -> StrideTable<A> {
        precondition(A.bitWidth >= 24 && prefixes.count == values.count)
        var b = StrideTableBuilder()
        b.childBits.reserveCapacity(prefixes.count)
        b.leafBits.reserveCapacity(prefixes.count)
        b.leaves.reserveCapacity(prefixes.count * 2)
        var groups: [(slot: Int, range: Range<Int>)] = []
        b.layOutRoot(prefixes, values, groups: &groups)
        for g in groups {
            let child = b.allocateNodes(1)
            let fallback = b.root[g.slot]
            b.root[g.slot] = StrideTable<A>.childFlag | UInt32(child)
            b.fillNode(child, parentEnd: Self.rootBits, fallback: fallback, prefixes, values, g.range)
        }
        let table = StrideTable<A>(root: IndexArray(b.root), nodes: IndexArray(b.packedNodes()), leaves: IndexArray(b.leaves),
                                   key: IndexArray(b.key), fallback: IndexArray(b.fallback))
        table.checkInvariants(maxValue: values.max() ?? 0)
        return table
    }

    /// The nodes in the table's packed layout (`StrideTable._nodes`).
    private func packedNodes() -> [UInt64] {
        var words: [UInt64] = []
        words.reserveCapacity(depth.count * StrideTable<A>.nodeWords)
        for n in depth.indices {
            // In the order of the record's word offsets (baseWord, infoWord, childMapWord, leafMapWord).
            words.append(UInt64(childBase[n]) | UInt64(leafBase[n]) << 32)
            let c = 4 * n
            words.append(UInt64(depth[n]) | (compressed[n] ? StrideTable<A>.compressedFlag : 0)
                | Table.wordCounts(childBits[c], childBits[c + 1], childBits[c + 2]) << Table.childCountsShift
                | Table.wordCounts(leafBits[c], leafBits[c + 1], leafBits[c + 2]) << Table.leafCountsShift)
            words.append(contentsOf: childBits[c ..< c + 4])
            words.append(contentsOf: leafBits[c ..< c + 4])
        }
        assert(Table.baseWord == 0 && Table.infoWord == 1 && Table.childMapWord == 2 && Table.leafMapWord == 6
               && Table.nodeWords == 10 && Table.strideBits == 8, "packedNodes writes the record in this layout")
        return words
    }

    private mutating func allocateNodes(_ count: Int) -> Int {
        let first = depth.count
        childBits.append(contentsOf: repeatElement(0, count: 4 * count))
        leafBits.append(contentsOf: repeatElement(0, count: 4 * count))
        childBase.append(contentsOf: repeatElement(0, count: count))
        leafBase.append(contentsOf: repeatElement(0, count: count))
        depth.append(contentsOf: repeatElement(0, count: count))
        compressed.append(contentsOf: repeatElement(false, count: count))
        key.append(contentsOf: repeatElement(0, count: count))
        fallback.append(contentsOf: repeatElement(0, count: count))
        return first
    }

    /// Writes the root's 2^rootBits plain entries (the top bits) and lists the groups of longer prefixes
    /// that need a child, per slot.
    private mutating func layOutRoot(_ prefixes: [Prefix<A>], _ values: [UInt32], groups: inout [(slot: Int, range: Range<Int>)]) {
        @inline(__always) func slot(_ p: Prefix<A>) -> Int { A.field(p.address.bits, from: 0, count: Self.rootBits) }
        // In sorted order, more specific prefixes (which sort after the prefixes containing them)
        // overwrite.
        for i in prefixes.indices where prefixes[i].length <= Self.rootBits {
            let first = slot(prefixes[i])
            for s in first ..< first + 1 << (Self.rootBits - Int(prefixes[i].length)) { root[s] = values[i] }
        }
        var i = 0
        while i < prefixes.count {
            if prefixes[i].length <= Self.rootBits { i += 1; continue }
            let s = slot(prefixes[i])
            var j = i + 1
            while j < prefixes.count, slot(prefixes[j]) == s { j += 1 }
            groups.append((s, i ..< j))
            i = j
        }
    }

    /// Lays out node `n` (already allocated) for the prefixes `range`, compresses it, then fills its
    /// children.
    ///
    /// The node's 256 slots are never materialised: the prefixes ending inside it are nested or
    /// disjoint intervals of slots, so a sweep with a stack of open intervals yields the runs of
    /// equal values directly, in O(prefixes) instead of O(256).
    private mutating func fillNode(_ n: Int, parentEnd: Int, fallback value: UInt32, _ prefixes: [Prefix<A>],
                                   _ values: [UInt32], _ range: Range<Int>) {
        // Deepest stride boundary that all prefixes share and all extend past.
        let firstBits = prefixes[range.lowerBound].address.bits
        var limit = (firstBits ^ prefixes[range.upperBound - 1].address.bits).leadingZeroBitCount
        for i in range { limit = min(limit, Int(prefixes[i].length) - 1) }
        let nodeDepth = parentEnd + (limit - parentEnd) / Self.strideBits * Self.strideBits
        let end = nodeDepth + Self.strideBits
        depth[n] = UInt8(nodeDepth)
        compressed[n] = nodeDepth != parentEnd
        key[n] = firstBits & A.mask(length: nodeDepth)
        fallback[n] = value
        @inline(__always) func slot(_ p: Prefix<A>) -> Int { A.field(p.address.bits, from: nodeDepth, count: Self.strideBits) }

        // Children: one per slot holding longer prefixes (contiguous per slot in sorted order).
        // They live on `pending` (shared by the whole recursion, so no allocation per node) from
        // `first` on, until this node has filled them.
        let first = pending.count
        var i = range.lowerBound
        while i < range.upperBound {
            if Int(prefixes[i].length) <= end { i += 1; continue }
            let s = slot(prefixes[i])
            var j = i + 1
            while j < range.upperBound, slot(prefixes[j]) == s { j += 1 }
            pending.append((s, i ..< j, value))
            i = j
        }
        let childCount = pending.count - first
        let firstChild = childCount == 0 ? 0 : allocateNodes(childCount)
        childBase[n] = UInt32(firstChild)
        leafBase[n] = UInt32(leaves.count)
        for k in first ..< pending.count { childBits[n * 4 + pending[k].slot >> 6] |= 1 << UInt64(pending[k].slot & 63) }

        // Runs of equal values over the slots (a sweep with a stack of open intervals), then one
        // leaf per run that has a leaf slot and differs from the previous leaf's value; child slots
        // take their run's value as fallback.
        open.removeAll(keepingCapacity: true)
        open.append((Self.slots, value))
        var position = 0
        var cursor = first
        var lastLeaf: UInt32? = nil
        var next = range.lowerBound
        while position < Self.slots {
            // The next prefix ending inside this node starts the next interval, or the sweep ends.
            while next < range.upperBound && Int(prefixes[next].length) > end { next += 1 }
            let target = next < range.upperBound ? slot(prefixes[next]) : Self.slots
            while position < target {
                let top = open[open.count - 1]
                let runEnd = min(top.end, target)
                var s = position
                var firstLeaf = -1
                while s < runEnd {
                    if cursor < pending.count && pending[cursor].slot == s {
                        pending[cursor].fallback = top.value
                        cursor += 1
                        s += 1
                        continue
                    }
                    if firstLeaf < 0 { firstLeaf = s }
                    // Skip to the next child slot inside the run, or the run's end.
                    s = cursor < pending.count ? min(runEnd, pending[cursor].slot) : runEnd
                }
                if firstLeaf >= 0 && top.value != lastLeaf {
                    leafBits[n * 4 + firstLeaf >> 6] |= 1 << UInt64(firstLeaf & 63)
                    leaves.append(top.value)
                    lastLeaf = top.value
                }
                position = runEnd
                while open.count > 1 && open[open.count - 1].end <= position { open.removeLast() }
            }
            if next < range.upperBound {
                open.append((target + 1 << (end - Int(prefixes[next].length)), values[next]))
                next += 1
            }
        }

        for k in 0 ..< childCount {
            let child = pending[first + k]
            fillNode(firstChild + k, parentEnd: end, fallback: child.fallback, prefixes, values, child.range)
        }
        pending.removeLast(childCount)
    }
}

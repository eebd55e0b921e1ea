/// A leaf-pushed multibit trie mapping every address to a `UInt32` value: the value of the longest
/// prefix containing it (or 0). It is the longest-prefix-match engine of the combined index.
///
/// Layout: a root table of 2^16 entries indexed by the top 16 bits, then nodes of 256 entries, each
/// consuming the next 8 bits. An entry is either a value (bit 31 clear; 0 means "no prefix") or a
/// child node index with bit 31 set.
///
/// ```
/// 20.62.130.5 = 0x143E_8205
/// root[0x143E] --child 7--> node 7 (depth 16, key 0x143E_0000): slots[7·256 + 0x82] = value
/// ```
///
/// Path compression: a child hangs below a root slot or node slot but may start deeper than the
/// next 8-bit boundary (its `depth`, always 16 + 8k). The bits between are not branched on; instead
/// the node records them as `key` and, when an address does not match them, the answer is the node's
/// `fallback`, the value its parent slot held before the child replaced it. This keeps deep, sparse
/// IPv6 paths (a /125 alone in its /64) to one node instead of eight.
///
/// Invariants: `depth[n] % 8 == 0`, `16 <= depth[n] <= bitWidth - 8`; `key[n]` has no bits past
/// `depth[n]`; node `n`'s entries are `slots[n·256 ..< n·256 + 256]`.
///
/// - Complexity: lookup visits at most 1 + (bitWidth - 16) / 8 entries (3 for IPv4, 15 for IPv6;
///   about 4 on real IPv6 data thanks to path compression), with no branch on the data size.
public struct StrideTable<A: IPAddressFamily>: Sendable {
    @usableFromInline static var childFlag: UInt32 { 0x8000_0000 }
    @usableFromInline var _root: [UInt32]
    @usableFromInline var _slots: [UInt32]
    @usableFromInline var _depth: [UInt8]
    @usableFromInline var _key: [A.Bits]
    @usableFromInline var _fallback: [UInt32]

    /// Number of 256-entry nodes below the root table.
    public var nodeCount: Int { _depth.count }
    /// Bytes held by the table's arrays.
    public var byteCount: Int {
        _root.count * 4 + _slots.count * 4 + _depth.count * (1 + MemoryLayout<A.Bits>.stride + 4)
    }

    /// The value of the longest prefix containing `bits`, 0 if none.
    @inlinable @inline(__always)
    public func value(for bits: A.Bits) -> UInt32 {
        let width = A.bitWidth
        var entry = _root.withUnsafeBufferPointer { $0[Int(truncatingIfNeeded: bits >> A.Bits(width &- 16))] }
        while entry & Self.childFlag != 0 {
            let node = Int(truncatingIfNeeded: entry & ~Self.childFlag)
            let depth = Int(truncatingIfNeeded: _depth[node])
            if bits & A.mask(length: depth) != _key[node] { return _fallback[node] }
            let index = Int(truncatingIfNeeded: (bits >> A.Bits(width &- depth &- 8)) & 0xFF)
            entry = _slots.withUnsafeBufferPointer { $0[node &<< 8 | index] }
        }
        return entry
    }
}

/// Builds a `StrideTable` from sorted, distinct prefixes and their values.
struct StrideTableBuilder<A: IPAddressFamily> {
    private var root = [UInt32](repeating: 0, count: 1 << 16)
    private var slots: [UInt32] = []
    private var depth: [UInt8] = []
    private var key: [A.Bits] = []
    private var fallback: [UInt32] = []

    /// `prefixes` must be sorted (address, then length) and distinct; `values[i]` (non-zero, below
    /// 2^31) belongs to `prefixes[i]`.
    /// - Complexity: O(n + nodes · 256).
    static func build(_ prefixes: [Prefix<A>], values: [UInt32]) -> StrideTable<A> {
        precondition(A.bitWidth >= 24 && prefixes.count == values.count)
        var b = StrideTableBuilder()
        b.fill(base: -1, depth: 0, stride: 16, prefixes, values, 0..<prefixes.count)
        return StrideTable(_root: b.root, _slots: b.slots, _depth: b.depth, _key: b.key, _fallback: b.fallback)
    }

    private func entry(_ base: Int, _ index: Int) -> UInt32 { base < 0 ? root[index] : slots[base + index] }
    private mutating func set(_ base: Int, _ index: Int, _ value: UInt32) {
        if base < 0 { root[index] = value } else { slots[base + index] = value }
    }
    private mutating func setRange(_ base: Int, _ range: Range<Int>, _ value: UInt32) {
        if base < 0 {
            for i in range { root[i] = value }
        } else {
            for i in range { slots[base + i] = value }
        }
    }

    /// Fills the table at `base` (-1 for the root) covering bits `depth ..< depth + stride` with the
    /// prefixes `range`, all of which are longer than `depth` and share its top `depth` bits.
    private mutating func fill(base: Int, depth: Int, stride: Int, _ prefixes: [Prefix<A>], _ values: [UInt32], _ range: Range<Int>) {
        let width = A.bitWidth
        let end = depth + stride
        @inline(__always) func slot(_ p: Prefix<A>) -> Int {
            Int(truncatingIfNeeded: (p.address.bits >> A.Bits(width - end)) & A.Bits((1 << stride) - 1))
        }
        // Pass 1: prefixes ending inside this node, in sorted order so that more specific ones
        // (which sort after the prefixes containing them) overwrite.
        for i in range where Int(prefixes[i].length) <= end {
            let first = slot(prefixes[i])
            setRange(base, first ..< first + (1 << (end - Int(prefixes[i].length))), values[i])
        }
        // Pass 2: longer prefixes go to a child per slot; they are contiguous per slot in sorted order.
        var i = range.lowerBound
        while i < range.upperBound {
            if Int(prefixes[i].length) <= end { i += 1; continue }
            let s = slot(prefixes[i])
            var j = i + 1
            while j < range.upperBound, slot(prefixes[j]) == s { j += 1 }
            let child = makeNode(parentEnd: end, fallback: entry(base, s), prefixes, values, i..<j)
            set(base, s, StrideTable<A>.childFlag | child)
            i = j
        }
    }

    private mutating func makeNode(parentEnd: Int, fallback value: UInt32, _ prefixes: [Prefix<A>], _ values: [UInt32], _ range: Range<Int>) -> UInt32 {
        let firstBits = prefixes[range.lowerBound].address.bits
        let lastBits = prefixes[range.upperBound - 1].address.bits
        var limit = (firstBits ^ lastBits).leadingZeroBitCount
        for i in range { limit = min(limit, Int(prefixes[i].length) - 1) }
        let nodeDepth = parentEnd + (limit - parentEnd) / 8 * 8
        let n = depth.count
        depth.append(UInt8(nodeDepth))
        key.append(firstBits & A.mask(length: nodeDepth))
        fallback.append(value)
        slots.append(contentsOf: repeatElement(value, count: 256))
        fill(base: n << 8, depth: nodeDepth, stride: 8, prefixes, values, range)
        return UInt32(n)
    }
}

/// IPv4's last-depth nodes (/24) as one cache line each, their values inline where they fit.
///
/// Record: the node's `LeafFields` (leaf map, word counts with `inlineFlag` in their top byte, leaf
/// base at 36), or, flagged, up to `inlineCapacity` leaf values from byte 36 over the leaf base.
///
/// Why: an IPv4 hit read the root entry, the /16 node, the /24 node (80 bytes, often across two
/// lines) and then its leaf in `leaves`: four dependent loads, with a 1.4 MB table in a 2 MiB L2
/// beside the stream of queries. A record here is the /24 node's leaf map, leaf base and word
/// counts in one aligned 64-byte line, and up to `inlineCapacity` leaf values in the rest of it, so
/// most hits end at the record: three dependent loads, and fewer lines each.
///
/// Only for a table two strides below its root (IPv4: root 16 bits, nodes at 16 and 24): there a
/// node at the last depth is a root child (path compressed) or a child of a /16 node, so a lookup
/// knows without looking which kind it reaches. Records are indexed by node (the slots of nodes
/// above the last depth are unused), built from a valid table, never stored.
///
/// Invariant: for every node `n` at the last depth, record `n` holds `n`'s leaf map, leaf base
/// word counts, and when `n` has at most `inlineCapacity` leaf runs (flagged) its leaves
/// `leaves[leafBase ..< leafBase + runs]`, else its leaf base.
///
/// - Complexity: building O(nodes); a lookup's last step one line and at most one leaf load.
@usableFromInline
struct TerminalRecords<A: IPAddressFamily>: @unchecked Sendable {  // the records are never written after `build`
    @usableFromInline static var recordBytes: Int { LeafFields<A>.bytes }
    /// The values themselves, in the leaf base's place and after it.
    @usableFromInline static var inlineOffset: Int { LeafFields<A>.leafBaseOffset }
    /// Leaf values that fit after the fields: (64 - 36) / 4. On the Public file 77% of the /24
    /// nodes have at most 7 runs (58% of the leaf runs, so of the hits as `stag-bench` draws them).
    static var inlineCapacity: Int { 7 }
    /// Set in the counts word when the values are inline.
    @usableFromInline static var inlineFlag: UInt32 { 0x0100_0000 }

    @usableFromInline let records: UnsafeRawPointer
    let owner: AlignedStorage
    @usableFromInline let isEmpty: Bool
    let count: Int

    static var none: TerminalRecords { TerminalRecords(count: 0) }

    var byteCount: Int { count * Self.recordBytes }

    private init(count: Int) {
        owner = AlignedStorage(byteCount: count * Self.recordBytes)
        records = UnsafeRawPointer(owner.pointer)
        self.count = count
        isEmpty = count == 0
    }

    /// The value of `slot` in last-depth node `node`.
    @inlinable @inline(__always)
    func value(_ node: Int, _ slot: Int, _ leaves: UnsafeBufferPointer<UInt32>) -> UInt32 {
        let r = records + node &* Self.recordBytes
        let (rank, counts) = LeafFields<A>.rank(r, slot)
        // A select of the address, not a branch: which holds the values is the data's.
        // Inline values occupy the leaf base's place: the address formed from it is then not read.
        let leafBase = LeafFields<A>.leafBase(r)
        let inlineValues = Int(bitPattern: r + Self.inlineOffset)
        let leafValues = Int(bitPattern: leaves.baseAddress!) &+ leafBase &* 4
        // All ones for inline values, else 0: a blend, not a branch the core would mispredict.
        let pick = 0 &- Int(truncatingIfNeeded: (counts &>> 24) & 1)
        let values = UnsafeRawPointer(bitPattern: leafValues ^ ((inlineValues ^ leafValues) & pick))!
        return values.load(fromByteOffset: (rank &- 1) &* 4, as: UInt32.self)
    }

    /// Records for every node of `table` at its last depth.
    static func build(_ table: StrideTable<A>) -> TerminalRecords {
        let records = TerminalRecords(count: table.nodeCount)
        let words = table._nodes.base, leaves = table._leaves.base
        let last = A.bitWidth - StrideTable<A>.strideBits
        for n in 0 ..< table.nodeCount {
            let base = n * StrideTable<A>.nodeWords
            let info = words[base + StrideTable<A>.infoWord]
            guard Int(info & StrideTable<A>.depthMask) == last else { continue }
            let r = records.owner.pointer + n * recordBytes
            let (leafBase, runs) = LeafFields.store(n, of: table, at: r)
            if runs <= inlineCapacity {
                let counts = r.load(fromByteOffset: LeafFields<A>.countsOffset, as: UInt32.self)
                r.storeBytes(of: counts | inlineFlag, toByteOffset: LeafFields<A>.countsOffset, as: UInt32.self)
                for i in 0 ..< runs { r.storeBytes(of: leaves[leafBase + i], toByteOffset: inlineOffset + 4 * i, as: UInt32.self) }
            }
        }
        records.checkInvariants(table)
        return records
    }

    /// Debug builds: stops unless every last-depth node's record answers as the node itself does
    /// (the type's invariant, checked through `value`) at each end of every run of its leaves and
    /// at the node's last slot: where an off-by-one would show, without 256 slots a node.
    func checkInvariants(_ table: StrideTable<A>) {
        assert({
            let words = table._nodes.base, leaves = table._leaves.base
            for n in 0 ..< table.nodeCount {
                let base = n * StrideTable<A>.nodeWords
                let info = words[base + StrideTable<A>.infoWord]
                guard Int(info & StrideTable<A>.depthMask) == A.bitWidth - StrideTable<A>.strideBits else { continue }
                let leafBase = Int(words[base + StrideTable<A>.baseWord] >> 32)
                var ends = [255]
                for w in 0 ..< 4 {
                    var bits = words[base + StrideTable<A>.leafMapWord + w]
                    while bits != 0 {
                        let start = w * 64 + bits.trailingZeroBitCount
                        ends += start == 0 ? [0] : [start - 1, start]
                        bits &= bits - 1
                    }
                }
                for slot in ends {
                    let expected = leaves[leafBase + StrideTable<A>.rank(words, base + StrideTable<A>.leafMapWord, slot, info >> StrideTable<A>.leafCountsShift) - 1]
                    if value(n, slot, leaves) != expected { return false }
                }
            }
            return true
        }(), "TerminalRecords invariant: a record answers a slot differently from its node")
    }
}

extension StrideTable {
    /// Whether `TerminalRecords` apply: the last depth two strides below the root (IPv4).
    @inlinable static var hasRecordShape: Bool { A.bitWidth == rootBits + 2 * strideBits }

    /// `value(for:)` through the records: the root, at most one node above the last depth (a step
    /// specialised to depth `rootBits`: constant shifts, no compressed check; the generic step here
    /// gave 74 M hits a second, this 85), then the last-depth node's record. Ends where the walk
    /// does (the same nodes, the same checks).
    @inlinable @inline(__always)
    func recordValue(for bits: A.Bits) -> UInt32 {
        let entry = _root.base[A.field(bits, from: 0, count: Self.rootBits)]
        if entry & Self.childFlag == 0 { return entry }
        return withTables { t in
            var node = Int(truncatingIfNeeded: entry & ~Self.childFlag)
            let info = t.nodes[node &* Self.nodeWords &+ Self.infoWord]
            let depth = Int(truncatingIfNeeded: info & Self.depthMask)
            if depth != A.bitWidth &- Self.strideBits {
                // A node at the root's end (depth rootBits, never compressed): the step specialised
                // to it. Its child, if any, starts where it ends, at the last depth.
                let base = node &* Self.nodeWords
                let slot = A.field(bits, from: Self.rootBits, count: Self.strideBits)
                let header = t.nodes[base &+ Self.baseWord]
                let word = t.nodes[base &+ Self.childMapWord &+ slot &>> 6]
                guard (word &>> UInt64(slot & 63)) & 1 != 0 else {
                    return t.leaves[Int(truncatingIfNeeded: header &>> 32)
                        &+ Self.rank(t.nodes, base &+ Self.leafMapWord, slot, info &>> Self.leafCountsShift) &- 1]
                }
                node = Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: header)
                    &+ UInt32(truncatingIfNeeded: Self.rank(word: word, slot, info &>> Self.childCountsShift)) &- 1)
            } else if info & Self.compressedFlag != 0 && bits & A.mask(length: depth) != t.key[node] {
                return t.fallback[node]
            }
            return _records.value(node, A.field(bits, from: A.bitWidth &- Self.strideBits, count: Self.strideBits), t.leaves)
        }
    }
}

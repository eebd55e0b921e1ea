/// A leaf-pushed, bitmap-compressed multibit trie mapping every address to a `UInt32` value: the
/// value of the longest prefix containing it (or 0). It is the longest-prefix-match engine of the
/// combined index (in the spirit of Poptrie and bart).
///
/// Layout: a root table of 2^16 entries indexed by the top 16 bits, then nodes that each consume
/// the next 8 bits. A root entry is a value (bit 31 clear; 0 = no prefix) or a node index with bit
/// 31 set. A node stands for 256 slots but stores only two 256-bit bitmaps:
///
/// ```
/// slot:        0    1    2    3    4  ...  255
/// content:     v7   v7   ↓c   v7   v9 ...  v9       (v = value, ↓ = child node)
/// childBits:   0    0    1    0    0  ...  0        → child = childBase + rank(childBits, s) - 1
/// leafBits:    1    0    0    0    1  ...  0        → value = leaves[leafBase + rank(leafBits, s) - 1]
/// ```
///
/// `leafBits` marks each leaf slot whose value differs from the previous leaf slot's, so the leaves
/// array holds one value per run; `rank(bits, s)` counts set bits in `0...s` with `popcount`. A
/// node costs about 90 bytes instead of 1 KiB for 256 plain entries, which keeps the whole table in
/// cache and makes it cheap to build.
///
/// Path compression: a node may start deeper than the next 8-bit boundary (`depth`, always 16 + 8k).
/// The bits in between are not branched on; the node records them as `key` and an address that
/// does not match them gets the node's `fallback`, the value its parent slot held before the node
/// replaced it. A /125 alone in its /64 costs one node, not eight.
///
/// Invariants (per node, see `_nodes` for the packing): `depth[n] % 8 == 0`, `16 <= depth[n] <= bitWidth - 8`;
/// the info word's word counts equal the bitmaps' (`wordCounts`); `key[n]` has no bits past
/// `depth[n]`; the children of a node are consecutive, in slot order, from `childBase[n]`; every
/// leaf slot is covered by a run (`leafBits` has a bit at or before the first leaf slot).
///
/// - Complexity: lookup visits at most 1 + (bitWidth - 16) / 8 levels (3 for IPv4; 15 for IPv6, but
///   about 4 on real IPv6 data thanks to path compression), each a few loads and popcounts.
public struct StrideTable<A: IPAddressFamily>: Sendable {
    // Layout constants. Changing one changes the compiled-index format (bump its version).
    /// Address bits the root table is indexed by: 2^16 entries, 256 KiB, which stays in L2.
    @usableFromInline static var rootBits: Int { 16 }
    /// Address bits each node consumes: 256 slots, two 256-bit maps.
    @usableFromInline static var strideBits: Int { 8 }
    /// Set in a root entry or child reference that names a node rather than holding a value.
    @usableFromInline static var childFlag: UInt32 { 0x8000_0000 }
    /// Words per node in `_nodes`, and the offset of each field in a node's record.
    @usableFromInline static var nodeWords: Int { 10 }
    /// `childBase | leafBase << 32`.
    @usableFromInline static var baseWord: Int { 0 }
    /// `depth | compressedFlag | childCounts << childCountsShift | leafCounts << leafCountsShift`.
    @usableFromInline static var infoWord: Int { 1 }
    /// First of the 4 words of the child bitmap.
    @usableFromInline static var childMapWord: Int { 2 }
    /// First of the 4 words of the leaf-run bitmap.
    @usableFromInline static var leafMapWord: Int { 6 }
    /// The depth bits of the info word.
    @usableFromInline static var depthMask: UInt64 { 0xFF }
    /// Set in a node's info word when its `depth` is deeper than its parent slot (path compressed),
    /// so the skipped bits must be checked against `_key`.
    @usableFromInline static var compressedFlag: UInt64 { 0x100 }
    /// Where the info word keeps each bitmap's word counts: three bytes, the set bits of the map's
    /// words before word 1, 2 and 3 (at most 192, so a byte each). They make `rank` one popcount and
    /// no loop: the number of words to count is the data's, and the loop's exit was the lookup's
    /// worst-predicted branch.
    @usableFromInline static var childCountsShift: UInt64 { 16 }
    @usableFromInline static var leafCountsShift: UInt64 { 40 }
    /// The three bytes of one map's word counts.
    @usableFromInline static var countsMask: UInt64 { 0xFF_FFFF }
    @usableFromInline let _root: IndexArray<UInt32>
    /// Each node's fields packed together, so one lookup step touches one or two cache lines:
    /// word 0: `childBase | leafBase << 32`; word 1: `depth | compressedFlag` and the word counts;
    /// words 2...5: child bitmap; words 6...9: leaf-run bitmap (bit `s % 64` of word `s / 64`
    /// stands for slot `s`).
    @usableFromInline let _nodes: IndexArray<UInt64>
    @usableFromInline let _leaves: IndexArray<UInt32>
    /// The skipped key bits and fallback value of each node, read only for compressed nodes.
    @usableFromInline let _key: IndexArray<A.Bits>
    @usableFromInline let _fallback: IndexArray<UInt32>
    /// Shortcuts to the deepest levels (`StrideTable+Jumps.swift`); none until `withJumps()`.
    @usableFromInline var _jumps: JumpTable<A> = .none
    /// The jump table's last-depth level with its nodes' leaf fields (`StrideTable+Terminal.swift`).
    @usableFromInline var _terminal: TerminalTable<A> = .none
    /// IPv4's last-depth nodes one line each (`StrideTable+Records.swift`); none until `withJumps()`.
    @usableFromInline var _records: TerminalRecords<A> = .none

    init(root: IndexArray<UInt32>, nodes: IndexArray<UInt64>, leaves: IndexArray<UInt32>, key: IndexArray<A.Bits>, fallback: IndexArray<UInt32>) {
        _root = root
        _nodes = nodes
        _leaves = leaves
        _key = key
        _fallback = fallback
    }

    /// Number of nodes below the root table.
    public var nodeCount: Int { _key.count }
    /// Bytes held by the table's arrays.
    public var byteCount: Int {
        _root.count * 4 + _nodes.count * 8 + _leaves.count * 4 + _key.count * (4 + MemoryLayout<A.Bits>.stride) + _jumps.byteCount + _terminal.byteCount + _records.byteCount
    }

    /// Set bits of the 256-bit map at `nodes[map ..< map + 4]` in slots `0...slot`, given the map's
    /// word counts (`info >> childCountsShift` or `leafCountsShift`; only the low three bytes are read).
    @inlinable @inline(__always)
    static func rank(_ nodes: UnsafeBufferPointer<UInt64>, _ map: Int, _ slot: Int, _ counts: UInt64) -> Int {
        rank(word: nodes[map &+ slot &>> 6], slot, counts)
    }

    /// `rank` given the map's word holding `slot` (word `slot / 64`), wherever the map is kept.
    @inlinable @inline(__always)
    static func rank(word: UInt64, _ slot: Int, _ counts: UInt64) -> Int {
        // `counts << 8` puts a zero byte first: the words before word 0 hold no bits.
        let before = Int(truncatingIfNeeded: ((counts & countsMask) &<< 8) &>> UInt64((slot &>> 6) &* 8) & 0xFF)
        return before &+ (word & (UInt64.max &>> UInt64(63 &- (slot & 63)))).nonzeroBitCount
    }

    /// The word counts of a 256-bit map, as `rank` reads them.
    static func wordCounts(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64) -> UInt64 {
        let c1 = UInt64(w0.nonzeroBitCount), c2 = c1 + UInt64(w1.nonzeroBitCount), c3 = c2 + UInt64(w2.nonzeroBitCount)
        return c1 | c2 << 8 | c3 << 16
    }

    /// The value of the longest prefix containing `bits`, 0 if none.
    @inlinable @inline(__always)
    public func value(for bits: A.Bits) -> UInt32 {
        // IPv4 tables are too shallow for jumps and IPv6 tables too deep for records (`withJumps`):
        // the shape tests fold away.
        if Self.hasRecordShape && !_records.isEmpty { return recordValue(for: bits) }
        if !Self.hasRecordShape && !(_jumps.isEmpty && _terminal.isEmpty) { return jumpingValue(for: bits) }
        // In bounds: the root has 2^rootBits entries (checked by `validate`) and the field has rootBits bits.
        var entry = _root.base[A.field(bits, from: 0, count: Self.rootBits)]
        if entry & Self.childFlag == 0 { return entry }
        return withTables { t in
            repeat { entry = t.step(entry, bits) } while entry & Self.childFlag != 0
            return entry
        }
    }

    /// `value(for:)` through the jumps: the root first (a plain value there ends most misses: 81 M
    /// misses a second against 75 probing first, hits alike); then a hit in the terminal table
    /// (the last depth) is its leaf at once; else a hit on a general level continues from its node
    /// (the deeper one first); else the walk goes on from the root. Each path ends where the plain walk would (`StrideTable+Jumps.swift`).
    @inlinable @inline(__always)
    func jumpingValue(for bits: A.Bits) -> UInt32 {
        var entry = _root.base[A.field(bits, from: 0, count: Self.rootBits)]
        if entry & Self.childFlag == 0 { return entry }
        return withTables { t in
            if !_terminal.isEmpty {
                let i = _terminal.leafIndex(bits)
                if i >= 0 { return t.leaves[i] }
            }
            let (deep, shallow) = _jumps.probe(bits)
            let jump = deep != 0 ? deep : shallow
            // The probe compared the node's whole key: its own check would repeat that.
            entry = jump != 0 ? t.step(jump, bits, keyChecked: true) : t.step(entry, bits)
            while entry & Self.childFlag != 0 { entry = t.step(entry, bits) }
            return entry
        }
    }

    /// The arrays a lookup step reads, as buffer pointers (no bounds or uniqueness checks per step).
    @usableFromInline struct Tables {
        @usableFromInline let nodes: UnsafeBufferPointer<UInt64>
        @usableFromInline let leaves: UnsafeBufferPointer<UInt32>
        @usableFromInline let key: UnsafeBufferPointer<A.Bits>
        @usableFromInline let fallback: UnsafeBufferPointer<UInt32>

        @inlinable init(nodes: UnsafeBufferPointer<UInt64>, leaves: UnsafeBufferPointer<UInt32>,
                        key: UnsafeBufferPointer<A.Bits>, fallback: UnsafeBufferPointer<UInt32>) {
            self.nodes = nodes
            self.leaves = leaves
            self.key = key
            self.fallback = fallback
        }

        /// One level: `entry` names a node (`StrideTable.childFlag` set); the result names a child node
        /// (`StrideTable.childFlag` set) or is the final value. Depth grows by at least `StrideTable.strideBits` per step
        /// (a builder invariant), so a lookup ends after at most `bitWidth / StrideTable.strideBits` steps.
        @inlinable @inline(__always)
        func step(_ entry: UInt32, _ bits: A.Bits, keyChecked: Bool = false) -> UInt32 {
            let node = Int(truncatingIfNeeded: entry & ~StrideTable.childFlag)
            let base = node &* StrideTable.nodeWords
            let info = nodes[base &+ StrideTable.infoWord]
            let depth = Int(truncatingIfNeeded: info & StrideTable.depthMask)
            if !keyChecked && info & StrideTable.compressedFlag != 0 && bits & A.mask(length: depth) != key[node] { return fallback[node] }
            let slot = A.field(bits, from: depth, count: StrideTable.strideBits)
            let header = nodes[base &+ StrideTable.baseWord]
            if (nodes[base &+ StrideTable.childMapWord &+ slot &>> 6] &>> UInt64(slot & 63)) & 1 != 0 {
                return StrideTable.childFlag | (UInt32(truncatingIfNeeded: header)
                    &+ UInt32(truncatingIfNeeded: StrideTable.rank(nodes, base &+ StrideTable.childMapWord, slot,
                                                                   info &>> StrideTable.childCountsShift)) &- 1)
            }
            return leaves[Int(truncatingIfNeeded: header &>> 32)
                &+ StrideTable.rank(nodes, base &+ StrideTable.leafMapWord, slot, info &>> StrideTable.leafCountsShift) &- 1]
        }
    }

    @inlinable @inline(__always)
    func withTables<R>(_ body: (Tables) -> R) -> R {
        // The arrays' owners are held by `self` for the duration of the call.
        withExtendedLifetime(self) { body(Tables(nodes: _nodes.base, leaves: _leaves.base, key: _key.base, fallback: _fallback.base)) }
    }
}

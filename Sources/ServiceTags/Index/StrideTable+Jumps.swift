/// Shortcuts past a `StrideTable`'s upper levels: for two depths `d`, a hash from the top `d` bits
/// of an address to the node of depth `d` that a walk from the root reaches with those bits.
///
/// Why: an IPv6 hit walked about six levels (root, /16, /24, /32, /40, /48, /56, then a compressed
/// /112 and /120 for the host routes that are three quarters of Azure's distinct IPv6 prefixes),
/// each a dependent load and a few dozen instructions: 13 M hits a second. The two probes are
/// independent of each other and of the root, so together they cost about one level; a hit then
/// continues from the deeper node found. The last depth (/120 for IPv6) has a table of its own
/// that also holds each node's leaf fields (`TerminalTable`), probed first. On the Public file:
/// /120 (3,274 nodes) in the terminal table, /112 (725) and /56 (442) here; 13 M → 34 M hits a
/// second (README, "Benchmarks").
///
/// Correctness rests on one fact: node `n` of depth `d` is reached by exactly the addresses whose
/// top `d` bits are `key[n]` (its ancestors branch on, and a compressed ancestor checks, only bits
/// above `d`, all part of the key; `n`'s own check compares the same bits), and from `n` on the walk
/// depends on the address alone. So `value(for:)` from the jumped-to node equals the walk's, and a
/// node left out of the table (its bucket full) is simply walked to. `StrideTable.validate` checks
/// every stored key against the path to its node, so a loaded table's keys can be trusted here.
///
/// Layout: one array of 32-byte slots (key, node reference `childFlag | n`; 0 = empty), aligned to
/// a cache line so that a bucket's two slots share one; slots 0..<4 are two empty buckets that an
/// absent level probes (its shift leaves one bit); then per level a power-of-two number of buckets.
/// Invariant (`checkInvariants`): every non-zero slot of level `i` holds `childFlag | n` with
/// `depth[n] == depths[i]`, `key == key[n]`, in the bucket its key hashes to.
///
/// - Complexity: building O(nodes); a probe O(1): two hashes and two slots each.
@usableFromInline
struct JumpTable<A: IPAddressFamily>: Sendable {
    /// Levels probed on every lookup (absent ones probe the empty bucket). Measured on the Public
    /// file: before the terminal table one level gave 20 M hits a second, two 24, three or four 23;
    /// beside it, one 33, two 34.7.
    @usableFromInline static var levelCount: Int { 2 }
    /// Slots per bucket, compared together: a key lives in its bucket or is left out.
    @usableFromInline static var bucketSlots: Int { 2 }
    /// The multiplier of the Fibonacci hash of a key's folded bits.
    @usableFromInline static var multiplier: UInt64 { 0x9E37_79B9_7F4A_7C15 }
    /// Only depths at least this far below the root are worth a probe: a jump must save more than
    /// the one level its probe costs.
    static var minimumSavedLevels: Int { 2 }

    @usableFromInline let slots: IndexArray<JumpSlot<A.Bits>>
    /// Per level, deepest first: the key mask, the first slot and the hash shift.
    @usableFromInline let masks: (A.Bits, A.Bits)
    @usableFromInline let bases: (Int, Int)
    @usableFromInline let shifts: (UInt64, UInt64)
    /// The depths of the levels present, deepest first.
    let depths: [Int]
    /// Bytes of the slots.
    var byteCount: Int { isEmpty ? 0 : slots.count * MemoryLayout<JumpSlot<A.Bits>>.stride }

    /// Buckets for a level of `nodes` nodes: a power of two, at least `nodes` (at most half the
    /// slots used; about 2% of the /120 nodes of the Public file find both slots taken and are walked to).
    static func buckets(for nodes: Int) -> Int {
        var buckets = 2
        while buckets < nodes { buckets *= 2 }
        return buckets
    }

    /// No levels: every probe misses (and `value(for:)` does not probe).
    static var none: JumpTable {
        JumpTable(slots: Array(repeating: JumpSlot(key: 0, node: 0), count: 2 * bucketSlots), depths: [], masks: [], bases: [], shifts: [])
    }

    fileprivate init(slots: [JumpSlot<A.Bits>], depths: [Int], masks: [A.Bits], bases: [Int], shifts: [UInt64]) {
        func at<T>(_ a: [T], _ i: Int, _ absent: T) -> T { i < a.count ? a[i] : absent }
        let storage = AlignedStorage(byteCount: slots.count * MemoryLayout<JumpSlot<A.Bits>>.stride)
        let typed = storage.pointer.bindMemory(to: JumpSlot<A.Bits>.self, capacity: slots.count)
        for i in slots.indices { typed[i] = slots[i] }
        self.slots = IndexArray(UnsafeBufferPointer(start: typed, count: slots.count), owner: storage)
        self.depths = depths
        isEmpty = depths.isEmpty
        self.masks = (at(masks, 0, 0), at(masks, 1, 0))
        self.bases = (at(bases, 0, 0), at(bases, 1, 0))
        // An absent level's shift of 63 leaves one bit: bucket 0 or 1 of the empty first two.
        self.shifts = (at(shifts, 0, 63), at(shifts, 1, 63))
    }

    /// No levels (`depths` is empty): `value(for:)` does not probe.
    @usableFromInline let isEmpty: Bool

    /// The bucket's first slot for `key` at the level with `base` and `shift`.
    @inlinable @inline(__always)
    static func slot(_ key: A.Bits, _ base: Int, _ shift: UInt64) -> Int {
        base &+ Int(truncatingIfNeeded: (fold(key) &* multiplier) &>> shift) &* bucketSlots
    }

    /// A key's bits folded to 64, for the multiplicative hash.
    @inlinable @inline(__always)
    static func fold(_ key: A.Bits) -> UInt64 {
        A.bitWidth > 64 ? A.low64(A.shiftRight(key, 64)) ^ (A.low64(key) &* 0xC2B2_AE3D_27D4_EB4F) : A.low64(key)
    }

    /// The node references of the deeper and the shallower level for `bits`'s keys, each 0 where
    /// that level's table does not hold the key.
    @inlinable @inline(__always)
    func probe(_ bits: A.Bits) -> (deep: UInt32, shallow: UInt32) {
        let t = slots.base
        @inline(__always) func level(_ mask: A.Bits, _ base: Int, _ shift: UInt64) -> UInt32 {
            let key = bits & mask
            let s = Self.slot(key, base, shift)
            // Branch-free: at most one slot holds the key; an empty slot's node is 0 whatever its key.
            return (t[s].key == key ? t[s].node : 0) | (t[s &+ 1].key == key ? t[s &+ 1].node : 0)
        }
        return (level(masks.0, bases.0, shifts.0), level(masks.1, bases.1, shifts.1))
    }
}

/// One slot of a `JumpTable`: a key and the node it leads to (`childFlag | n`, 0 = empty).
@usableFromInline
struct JumpSlot<Bits: BitwiseCopyable>: BitwiseCopyable {
    @usableFromInline var key: Bits
    @usableFromInline var node: UInt32
}

/// Memory aligned to a cache line, so that a bucket's slots share one line.
final class AlignedStorage: @unchecked Sendable {
    static let alignment = 64
    let pointer: UnsafeMutableRawPointer
    init(byteCount: Int) {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }
    deinit { pointer.deallocate() }
}

extension StrideTable {
    /// This table with its `JumpTable` (and `TerminalTable`) built, for the depths below the root
    /// whose nodes hold the most leaf runs (a jump pays where lookups end). A table too shallow for
    /// a jump to save a level (IPv4) gets its last-depth records (`TerminalRecords`) instead. The
    /// table must be valid (built, or passed `validate`).
    /// - Complexity: O(nodes).
    func withJumps(buckets: (Int) -> Int = JumpTable<A>.buckets(for:),
                   terminalSlots: (Int) -> Int = TerminalTable<A>.slots(for:)) -> StrideTable {
        guard _jumps.isEmpty && _terminal.isEmpty && _records.isEmpty else { return self }  // built already
        if Self.hasRecordShape {
            var result = self
            result._records = TerminalRecords.build(self)
            return result
        }
        let minimumDepth = Self.rootBits + JumpTable<A>.minimumSavedLevels * Self.strideBits
        // IPv4: a terminal table at /24 was tried (it would save the /16 node's load): 2 MB of
        // slots for the Public file's /24 nodes, as slow as the walk (66 M hits a second).
        guard minimumDepth <= A.bitWidth - Self.strideBits else { return self }
        let terminalLevel = (A.bitWidth - Self.strideBits) / Self.strideBits
        let nodes = _nodes.base, keys = _key.base
        // One pass: each level's nodes (deep enough for a jump) and their leaf runs.
        var weight = [Int](repeating: 0, count: A.bitWidth / Self.strideBits + 1)
        var nodesAt = [[Int]](repeating: [], count: weight.count)
        for n in 0 ..< nodeCount {
            let base = n * Self.nodeWords
            let depth = Int(nodes[base + Self.infoWord] & Self.depthMask)
            guard depth >= minimumDepth else { continue }
            var runs = 0
            for w in 0 ..< 4 { runs += nodes[base + Self.leafMapWord + w].nonzeroBitCount }
            weight[depth / Self.strideBits] += runs
            nodesAt[depth / Self.strideBits].append(n)
        }
        let byWeight = weight.indices.filter { weight[$0] > 0 }.sorted { weight[$0] > weight[$1] }
        // The last depth, where it is among the busiest, gets the terminal table; the general
        // levels are the busiest of the others.
        let hasTerminal = byWeight.prefix(JumpTable<A>.levelCount + 1).contains(terminalLevel)
        let chosen = Array(byWeight.filter { $0 != terminalLevel }.prefix(JumpTable<A>.levelCount)).sorted(by: >)
        guard hasTerminal || !chosen.isEmpty else { return self }
        let slots = JumpTable<A>.bucketSlots
        // Slots 0 and 1... are the empty bucket(s) that absent levels probe.
        let empty = JumpSlot<A.Bits>(key: 0, node: 0)
        var table = [JumpSlot<A.Bits>](repeating: empty, count: 2 * slots)
        var masks: [A.Bits] = [], bases: [Int] = [], shifts: [UInt64] = [], depths: [Int] = []
        for level in chosen {
            let depth = level * Self.strideBits
            let buckets = buckets(nodesAt[level].count)
            precondition(buckets >= 2 && buckets & (buckets - 1) == 0, "a level has a power of two of buckets")
            let base = table.count
            table.append(contentsOf: repeatElement(empty, count: buckets * slots))
            let shift = UInt64(64 - buckets.trailingZeroBitCount)
            for n in nodesAt[level] {
                let first = JumpTable<A>.slot(keys[n], base, shift)
                guard let s = (first ..< first + slots).first(where: { table[$0].node == 0 }) else { continue }
                table[s] = JumpSlot(key: keys[n], node: Self.childFlag | UInt32(n))
            }
            masks.append(A.mask(length: depth))
            bases.append(base)
            shifts.append(shift)
            depths.append(depth)
        }
        var result = self
        result._jumps = JumpTable(slots: table, depths: depths, masks: masks, bases: bases, shifts: shifts)
        if hasTerminal {
            let terminal = nodesAt[terminalLevel]
            result._terminal = TerminalTable.build(self, depth: terminalLevel * Self.strideBits, nodes: terminal, count: terminalSlots(terminal.count))
        }
        result.checkJumpInvariants()
        return result
    }

    /// Debug builds: stops unless every jump leads where a walk would (the type's invariant).
    func checkJumpInvariants() {
        assert({
            let jumps = _jumps, slots = jumps.slots.base
            let levels = [(jumps.masks.0, jumps.bases.0, jumps.shifts.0), (jumps.masks.1, jumps.bases.1, jumps.shifts.1)]
            for (i, depth) in jumps.depths.enumerated() {
                let (mask, base, shift) = levels[i]
                let end = i + 1 < jumps.depths.count ? levels[i + 1].1 : slots.count
                for s in base ..< end where slots[s].node != 0 {
                    let n = Int(slots[s].node & ~Self.childFlag)
                    let bucket = JumpTable<A>.slot(slots[s].key, base, shift)
                    guard slots[s].node & Self.childFlag != 0, n < nodeCount,
                          Int(_nodes[n * Self.nodeWords + Self.infoWord] & Self.depthMask) == depth,
                          slots[s].key == _key[n], slots[s].key & mask == slots[s].key,
                          s == bucket || s == bucket + 1 else { return false }
                }
            }
            let terminal = _terminal
            if !terminal.isEmpty {
                var byKey: [A.Bits: Int] = [:]
                for n in 0 ..< nodeCount where Int(_nodes[n * Self.nodeWords + Self.infoWord] & Self.depthMask) == terminal.depth {
                    byKey[_key[n]] = n
                }
                for s in 0 ..< terminal.slotCount {
                    let slot = terminal.slots + s * TerminalTable<A>.slotBytes
                    let key = slot.load(fromByteOffset: TerminalTable<A>.keyOffset, as: A.Bits.self)
                    if key == A.Bits.max { continue }
                    let (a, b) = terminal.candidates(key)
                    guard s == a || s == b, let n = byKey[key] else { return false }
                    let base = n * Self.nodeWords
                    guard slot.load(fromByteOffset: LeafFields<A>.leafBaseOffset, as: UInt32.self) == UInt32(_nodes[base + Self.baseWord] >> 32),
                          UInt64(slot.load(fromByteOffset: LeafFields<A>.countsOffset, as: UInt32.self))
                            == (_nodes[base + Self.infoWord] >> Self.leafCountsShift) & Self.countsMask,
                          (0 ..< 4).allSatisfy({ slot.load(fromByteOffset: LeafFields<A>.mapOffset + 8 * $0, as: UInt64.self) == _nodes[base + Self.leafMapWord + $0] })
                    else { return false }
                }
            }
            return true
        }(), "JumpTable invariant: a slot does not lead to the node of its key and depth")
    }
}


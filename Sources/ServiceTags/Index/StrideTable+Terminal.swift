/// The jump table's deepest level when it is the last depth a node can have (`bitWidth -
/// strideBits`, /120 for IPv6): such a node has no children, so a slot carries what its leaf
/// needs — the node's leaf base, leaf-map word counts and leaf map — and a hit reads the leaf value
/// with no load of the node itself. That takes one dependent load off the chain of every lookup
/// that ends there (on the Public file, most IPv6 hits: three quarters of the distinct IPv6 prefixes
/// are /117-/128 host routes).
///
/// Layout: `slotCount` (a power of two) 64-byte slots, aligned to cache lines; a slot is the
/// node's `LeafFields` (leaf map, word counts, leaf base) and the key (`A.Bits` at byte 48). A key has two candidate slots
/// (cuckoo hashing: the top bits of one hash and the bits below them); an empty slot's key is all
/// ones, which no key (zero past its depth) equals.
///
/// Invariant (checked in debug builds by `StrideTable.checkJumpInvariants`): a slot holding key
/// `k` is one of `k`'s two candidates and copies the fields of the node of depth `depth` whose key
/// is `k`. Keys that found no slot are left to the general levels.
///
/// - Complexity: building O(nodes) expected; a probe two slot loads and one leaf load.
@usableFromInline
struct TerminalTable<A: IPAddressFamily>: @unchecked Sendable {  // the slots are never written after `build`
    @usableFromInline static var slotBytes: Int { LeafFields<A>.bytes }
    /// After the leaf fields, 16-byte aligned for an IPv6 key.
    @usableFromInline static var keyOffset: Int { 48 }
    /// Evictions one insertion may cause before its last homeless key is left out.
    static var maximumKicks: Int { 64 }

    @usableFromInline let slots: UnsafeRawPointer
    let owner: AlignedStorage
    /// log2 of the slot count, and `64 - log` (0 when empty: `isEmpty`).
    @usableFromInline let log: UInt64
    @usableFromInline let mask: A.Bits
    @usableFromInline let isEmpty: Bool
    let slotCount: Int
    /// The depth of its nodes; 0 for no table.
    let depth: Int

    static var none: TerminalTable { TerminalTable(slotCount: 2, depth: 0) }

    var byteCount: Int { isEmpty ? 0 : slotCount * Self.slotBytes }

    private init(slotCount: Int, depth: Int) {
        owner = AlignedStorage(byteCount: slotCount * Self.slotBytes)
        slots = UnsafeRawPointer(owner.pointer)
        self.slotCount = slotCount
        log = UInt64(slotCount.trailingZeroBitCount)
        self.depth = depth
        mask = A.mask(length: depth)
        isEmpty = depth == 0
        for s in 0 ..< slotCount { owner.pointer.storeBytes(of: A.Bits.max, toByteOffset: s * Self.slotBytes + Self.keyOffset, as: A.Bits.self) }
    }

    /// The two candidate slots of `key`.
    @inlinable @inline(__always)
    func candidates(_ key: A.Bits) -> (Int, Int) {
        let h = JumpTable<A>.fold(key) &* JumpTable<A>.multiplier
        return (Int(truncatingIfNeeded: h &>> (64 &- log)), Int(truncatingIfNeeded: (h &<< log) &>> (64 &- log)))
    }

    /// The index into the table's leaves of `bits`'s value, or -1 when no slot holds its key.
    @inlinable @inline(__always)
    func leafIndex(_ bits: A.Bits) -> Int {
        let key = bits & mask
        let (a, b) = candidates(key)
        let pa = slots + a &* Self.slotBytes, pb = slots + b &* Self.slotBytes
        let hitA = pa.load(fromByteOffset: Self.keyOffset, as: A.Bits.self) == key
        let hitB = pb.load(fromByteOffset: Self.keyOffset, as: A.Bits.self) == key
        guard hitA || hitB else { return -1 }
        let p = hitA ? pa : pb
        let slot = A.field(bits, from: A.bitWidth &- StrideTable<A>.strideBits, count: StrideTable<A>.strideBits)
        return LeafFields<A>.leafBase(p) &+ LeafFields<A>.rank(p, slot).rank &- 1
    }

    /// Slots for `nodes` keys: a power of two, at least twice as many (cuckoo hashing with two
    /// candidates and one key a slot fills up to about half the slots).
    static func slots(for nodes: Int) -> Int {
        var count = 2
        while count < 2 * nodes { count *= 2 }
        return count
    }

    /// A table for the nodes `nodes` (all of depth `depth`, without children) of `table`, in
    /// `count` slots (a power of two).
    static func build(_ table: StrideTable<A>, depth: Int, nodes: [Int], count: Int) -> TerminalTable {
        precondition(count >= 2 && count & (count - 1) == 0, "a terminal table has a power of two of slots")
        let t = TerminalTable(slotCount: count, depth: depth)
        let keys = table._key.base
        func store(_ n: Int, at s: Int) {
            let slot = t.owner.pointer + s * slotBytes
            _ = LeafFields.store(n, of: table, at: slot)
            slot.storeBytes(of: keys[n], toByteOffset: keyOffset, as: A.Bits.self)
        }
        // Which node each slot holds (-1: empty), for evictions.
        var holder = [Int](repeating: -1, count: count)
        func put(_ n: Int, _ s: Int) {
            holder[s] = n
            store(n, at: s)
        }
        for n in nodes {
            var item = n, from = -1
            for _ in 0 ..< maximumKicks {
                let (a, b) = t.candidates(keys[item])
                if holder[a] < 0 { put(item, a); break }
                if holder[b] < 0 { put(item, b); break }
                // Both taken: evict the holder of the candidate this item was not just evicted
                // from, and place the evicted one next. After the last kick it is left out.
                let s = a == from ? b : a
                let evicted = holder[s]
                put(item, s)
                item = evicted
                from = s
            }
        }
        return t
    }
}

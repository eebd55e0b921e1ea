/// The tag names seen so far, by their UTF-8 bytes, for duplicate detection.
///
/// A `Set<String>` costs a SipHash, a retain and a `String` comparison per tag, about a tenth of
/// the whole parse of a real file. This open-addressing table hashes the name's bytes straight
/// from the scanner's buffer, eight bytes per step, and keeps a copy of each name in one byte
/// arena for the comparison that confirms a hash match. It owns raw memory rather than arrays so
/// an insert has no bounds checks, uniqueness checks or generic `append`.
///
/// Invariants: `capacity` is a power of two at least twice `count`; a slot with `hash == 0` is
/// empty (stored hashes have their low bit set); a full slot's name is
/// `arena[start ..< start + length]`; `arena[0..<arenaCount]` is initialised.
struct TagNameSet: ~Copyable {
    private struct Slot {
        var hash: UInt64
        var start: Int
        var length: Int
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    private(set) var count = 0
    private var sawEmpty = false

    /// Room for 2,048 names and 16 KiB of their bytes before growing (a real Public file has
    /// about 3,000 names: one rehash).
    init() {
        capacity = 4096
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, start: 0, length: 0), count: capacity)
        arenaCapacity = 16 * 1024
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// Adds the name `p[0..<n]`; `false` if it was already there.
    /// - Complexity: O(n) expected.
    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return insertEmpty() }
        if (count &+ 1) &* 2 > capacity { grow() }
        let hash = TagNameSet.hash(p, n)
        let mask = capacity &- 1
        var slot = Int(truncatingIfNeeded: hash >> 17) & mask
        while true {
            let s = slots[slot]
            if s.hash == 0 { break }
            if s.hash == hash, s.length == n, ByteCompare.equal(arena + s.start, p, n) { return false }
            slot = (slot &+ 1) & mask
        }
        if arenaCount &+ n > arenaCapacity { growArena(toHold: arenaCount &+ n) }
        (arena + arenaCount).update(from: p, count: n)
        slots[slot] = Slot(hash: hash, start: arenaCount, length: n)
        arenaCount &+= n
        count &+= 1
        return true
    }

    /// Every name added, as `String`s, in no particular order.
    /// - Complexity: O(capacity + name bytes).
    func strings() -> [String] {
        var out: [String] = sawEmpty ? [""] : []
        for i in 0 ..< capacity where slots[i].hash != 0 {
            out.append(String(decoding: UnsafeBufferPointer(start: arena + slots[i].start, count: slots[i].length), as: UTF8.self))
        }
        return out
    }

    /// Adds the name held in `bytes` (the unescaped copy of an escaped name).
    mutating func insert(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard let start = b.baseAddress else { return insertEmpty() }
            return insert(start, b.count)
        }
    }

    /// The empty name is tracked apart: an empty buffer need not have an address.
    private mutating func insertEmpty() -> Bool {
        defer { sawEmpty = true }
        return !sawEmpty
    }

    @inline(never)
    private mutating func grow() {
        let old = slots, oldCapacity = capacity
        capacity &*= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, start: 0, length: 0), count: capacity)
        let mask = capacity &- 1
        for i in 0..<oldCapacity where old[i].hash != 0 {
            var slot = Int(truncatingIfNeeded: old[i].hash >> 17) & mask
            while slots[slot].hash != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = old[i]
        }
        old.deallocate()
    }

    @inline(never)
    private mutating func growArena(toHold needed: Int) {
        var bigger = arenaCapacity &* 2
        while bigger < needed { bigger &*= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        grown.update(from: arena, count: arenaCount)
        arena.deallocate()
        arena = grown
        arenaCapacity = bigger
    }

    /// A multiply-xorshift hash over 8-byte words, then the last 1...7 bytes as one word; low bit
    /// forced to 1. The tail is read with one load (overlapping the last full word) when the name
    /// has eight bytes or more: a byte loop's exit would mispredict on every name length.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(truncatingIfNeeded: n) &* k
        var i = 0
        let raw = UnsafeRawPointer(p)
        while n &- i >= 8 {
            h = (h ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* k
            h ^= h &>> 29
            i &+= 8
        }
        let rest = n &- i
        var tail: UInt64 = 0
        if rest > 0 {
            if n >= 8 {
                // The last eight bytes end with the `rest` unhashed ones; drop the others.
                let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
                tail = last &>> UInt64(8 &* (8 &- rest))
            } else {
                for j in 0..<rest { tail |= UInt64(p[j]) &<< UInt64(8 &* j) }
            }
        }
        h = (h ^ tail) &* k
        h ^= h &>> 32
        return h | 1
    }
}

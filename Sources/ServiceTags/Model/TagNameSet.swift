/// The tag names seen so far, by their UTF-8 bytes, for duplicate detection.
///
/// A `Set<String>` costs a SipHash, a retain and a `String` comparison per tag, about a tenth of
/// the whole parse of a real file. This open-addressing table hashes the name's bytes straight
/// from the scanner's buffer, eight bytes per step, and keeps a copy of each name in one byte
/// arena for the comparison that confirms a hash match.
///
/// Invariants: `hashes.count` is a power of two at least twice `count`; `hashes[i] == 0` marks an
/// empty slot (stored hashes have their low bit set); a full slot's name is
/// `arena[starts[i] ..< starts[i] + lengths[i]]`.
struct TagNameSet {
    private var hashes = [UInt64](repeating: 0, count: 8192)
    private var starts = [Int](repeating: 0, count: 8192)
    private var lengths = [Int](repeating: 0, count: 8192)
    private var arena: [UInt8] = []
    private(set) var count = 0
    private var sawEmpty = false

    /// Adds the name `p[0..<n]`; `false` if it was already there.
    /// - Complexity: O(n) expected.
    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return insertEmpty() }
        if (count &+ 1) &* 2 > hashes.count { grow() }
        let hash = TagNameSet.hash(p, n)
        let mask = hashes.count &- 1
        var slot = Int(truncatingIfNeeded: hash >> 17) & mask
        while true {
            let h = hashes[slot]
            if h == 0 { break }
            if h == hash, lengths[slot] == n, equal(p, n, at: starts[slot]) { return false }
            slot = (slot &+ 1) & mask
        }
        hashes[slot] = hash
        starts[slot] = arena.count
        lengths[slot] = n
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        count &+= 1
        return true
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

    private func equal(_ p: UnsafePointer<UInt8>, _ n: Int, at start: Int) -> Bool {
        arena.withUnsafeBufferPointer { a in
            for k in 0..<n where a[start &+ k] != p[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let old = (hashes, starts, lengths)
        let size = hashes.count &* 2
        hashes = [UInt64](repeating: 0, count: size)
        starts = [Int](repeating: 0, count: size)
        lengths = [Int](repeating: 0, count: size)
        let mask = size &- 1
        for i in old.0.indices where old.0[i] != 0 {
            var slot = Int(truncatingIfNeeded: old.0[i] >> 17) & mask
            while hashes[slot] != 0 { slot = (slot &+ 1) & mask }
            hashes[slot] = old.0[i]
            starts[slot] = old.1[i]
            lengths[slot] = old.2[i]
        }
    }

    /// A multiply-xorshift hash over 8-byte words, then the tail bytes; low bit forced to 1.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(truncatingIfNeeded: n) &* k
        var i = 0
        let raw = UnsafeRawPointer(p)
        while n &- i >= 8 {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h &>> 29
            i &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) &<< shift
            shift &+= 8
            i &+= 1
        }
        h = (h ^ tail) &* k
        h ^= h &>> 32
        return h | 1
    }
}

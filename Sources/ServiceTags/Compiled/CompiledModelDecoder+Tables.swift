// The two hash tables `CompiledModelDecoder.metadata()` keeps while it reads the tag records:
// decoded strings by reference, and tag names by their bytes.

/// The strings decoded so far, by their (offset, length) reference into `strings`: an
/// open-addressing table (a `Dictionary` hashed each reference with SipHash, a twentieth of the
/// load).
/// - Complexity: O(1) expected per call; the table doubles when half full.
struct ReferenceCache {
    /// `empty` marks a free slot: no reference has a length of 2^32 - 1 (strings are at most
    /// `CompiledIndexLayout.maxStringBytes`).
    private static let empty = UInt64.max
    private var keys = [UInt64](repeating: ReferenceCache.empty, count: 64)
    private var values = [String](repeating: "", count: 64)
    private var count = 0

    subscript(reference: UInt64) -> String? {
        var slot = Self.slot(reference, keys.count)
        while keys[slot] != Self.empty {
            if keys[slot] == reference { return values[slot] }
            slot = (slot + 1) & (keys.count - 1)
        }
        return nil
    }

    /// - Precondition: `reference` is not in the table, and is not `empty`.
    mutating func insert(_ value: String, for reference: UInt64) {
        if 2 * (count + 1) > keys.count {
            let (oldKeys, oldValues) = (keys, values)
            keys = [UInt64](repeating: Self.empty, count: 2 * oldKeys.count)
            values = [String](repeating: "", count: 2 * oldKeys.count)
            count = 0
            for (k, v) in zip(oldKeys, oldValues) where k != Self.empty { insert(v, for: k) }
        }
        var slot = Self.slot(reference, keys.count)
        while keys[slot] != Self.empty { slot = (slot + 1) & (keys.count - 1) }
        keys[slot] = reference
        values[slot] = value
        count += 1
    }

    private static func slot(_ reference: UInt64, _ size: Int) -> Int {
        Int(truncatingIfNeeded: (reference &* 0x9E37_79B9_7F4A_7C15) >> 32) & (size - 1)
    }
}

/// Finds two tags with the same name while loading, on the names' bytes (no `String` hashing):
/// an open-addressing table of tag positions keyed by a hash of each name's bytes.
/// - Complexity: O(name bytes) expected.
struct TagNameCheck {
    private var slots: [Int32]
    private var references: [UInt64]
    private let mask: Int

    init(count: Int) {
        var size = 16
        while size < 2 * count { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        references = [UInt64](repeating: 0, count: count)
        mask = size - 1
    }

    /// Records tag `i`, whose name is the (offset, length) `reference` into `pool` (already
    /// checked to lie inside it); returns an earlier tag of the same name, if any.
    mutating func insert(_ i: Int, _ reference: UInt64, pool: UnsafeRawBufferPointer) -> Int? {
        let name = Self.bytes(reference, pool)
        // Eight bytes a step (then the tail), multiply-xorshift: names differ early and late.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(name.count)
        var at = 0
        while at + 8 <= name.count {
            h = (h ^ name.loadUnaligned(fromByteOffset: at, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            at += 8
        }
        while at < name.count { h = (h ^ UInt64(name[at])) &* 0x100_0000_01B3; at += 1 }
        h ^= h >> 32
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >= 0 {
            let other = Int(slots[slot])
            if references[other] == reference || Self.bytes(references[other], pool).elementsEqual(name) { return other }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(i)
        references[i] = reference
        return nil
    }

    private static func bytes(_ reference: UInt64, _ pool: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = Int(reference & 0xFFFF_FFFF), length = Int(reference >> 32)
        return UnsafeRawBufferPointer(rebasing: pool[start ..< start + length])
    }
}

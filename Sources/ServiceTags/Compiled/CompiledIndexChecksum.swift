/// The compiled index's checksum: a 64-bit hash of every byte of the file except the checksum
/// field itself (taken as zero), fast enough to check a whole index on every load.
///
/// Four independent lanes each fold one 8-byte little-endian word per step as
/// `h = (h ^ w) &* K; h ^= h >> 29`. Both steps are bijections of `h` for a fixed `w`, and `h ^ w`
/// is one of `w` for a fixed `h`, so a change confined to one word always changes its lane's final
/// state, and so the result: every single-byte corruption is detected, not merely most. The lanes
/// are mixed at the end (splitmix64's finaliser), which is also a bijection per lane.
///
/// Not cryptographic: it guards against truncation, bit rot and accidental edits, not an attacker
/// (who could rewrite it); validation, not the checksum, is what keeps a crafted file safe.
///
/// - Complexity: O(n), about one word per cycle per lane (~1 ms for an 8 MB index).
enum CompiledIndexChecksum {
    static let k: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// - Precondition: `bytes.count` is a multiple of 8 and at least 32.
    static func compute(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        precondition(bytes.count % 8 == 0 && bytes.count >= 32)
        @inline(__always) func word(_ i: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) }
        @inline(__always) func step(_ h: inout UInt64, _ w: UInt64) {
            h = (h ^ w) &* k
            h ^= h &>> 29
        }
        var a: UInt64 = 0x243F_6A88_85A3_08D3, b: UInt64 = 0x1319_8A2E_0370_7344
        var c: UInt64 = 0xA409_3822_299F_31D0, d: UInt64 = 0x082E_FA98_EC4E_6C89
        // The first block holds the checksum field (word 2): it counts as zero.
        precondition(CompiledIndexLayout.checksumOffset == 16)
        step(&a, word(0)); step(&b, word(1)); step(&c, 0); step(&d, word(3))
        let words = bytes.count / 8
        var i = 4
        while i &+ 4 <= words {
            step(&a, word(i)); step(&b, word(i &+ 1)); step(&c, word(i &+ 2)); step(&d, word(i &+ 3))
            i &+= 4
        }
        while i < words { step(&a, word(i)); i &+= 1 }
        return mix(a) ^ (mix(b) &* 3) ^ (mix(c) &* 5) ^ (mix(d) &* 7) ^ UInt64(words)
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}

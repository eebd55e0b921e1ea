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

    /// - Precondition: `bytes.count` is a multiple of 8 and at least 32; `bytes` is 8-byte aligned.
    /// - Parameter done: called with each 1 MiB range once it is hashed (the loader drops those
    ///   pages of the mapping again, so the whole file is never resident at once).
    // Optimised even in debug builds where the compiler allows it: every load runs it over the
    // whole file, and the corruption tests run it once per flipped byte.
    @_optimize(speed)
    static func compute(_ bytes: UnsafeRawBufferPointer, done: ((Range<Int>) -> Void)? = nil) -> UInt64 {
        precondition(bytes.count % 8 == 0 && bytes.count >= 32 && CompiledIndexLayout.checksumOffset == 16)
        // Mapped files and arrays are 8-byte aligned; reading typed words (not `loadUnaligned`,
        // a generic call in debug builds) keeps the corruption tests' thousands of loads fast.
        precondition(Int(bitPattern: bytes.baseAddress) % 8 == 0, "compiled index bytes must be 8-byte aligned")
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
        let words = bytes.count / 8
        let chunkWords = 1 << 17
        var a: UInt64 = 0x243F_6A88_85A3_08D3, b: UInt64 = 0x1319_8A2E_0370_7344
        var c: UInt64 = 0xA409_3822_299F_31D0, d: UInt64 = 0x082E_FA98_EC4E_6C89
        var i = 0
        while i &+ 4 <= words {
            let chunkEnd = min(i &+ chunkWords, words & ~3)
            while i < chunkEnd {
                let wa = UInt64(littleEndian: base[i])
                let wb = UInt64(littleEndian: base[i &+ 1])
                // The first block holds the checksum field (word 2): it counts as zero.
                let wc = i == 0 ? 0 : UInt64(littleEndian: base[i &+ 2])
                let wd = UInt64(littleEndian: base[i &+ 3])
                a = (a ^ wa) &* k; a ^= a &>> 29
                b = (b ^ wb) &* k; b ^= b &>> 29
                c = (c ^ wc) &* k; c ^= c &>> 29
                d = (d ^ wd) &* k; d ^= d &>> 29
                i &+= 4
            }
            if chunkEnd < words & ~3 { done?((chunkEnd &- chunkWords) &* 8 ..< chunkEnd &* 8) }
        }
        while i < words {
            a = (a ^ UInt64(littleEndian: base[i])) &* k
            a ^= a &>> 29
            i &+= 1
        }
        return mix(a) ^ (mix(b) &* 3) ^ (mix(c) &* 5) ^ (mix(d) &* 7) ^ UInt64(words)
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}

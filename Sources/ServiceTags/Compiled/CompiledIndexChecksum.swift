#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The compiled index's checksum: a 64-bit hash of every byte of the file except the checksum
/// field itself (taken as zero), fast enough to check a whole index on every load.
///
/// Eight independent lanes (enough to hide the multiply's latency) each fold one 8-byte little-endian word per step as
/// `h = (h ^ w) &* K; h ^= h >> 29`. Both steps are bijections of `h` for a fixed `w`, and `h ^ w`
/// is one of `w` for a fixed `h`, so a change confined to one word always changes its lane's final
/// state, and so the result: every single-byte corruption is detected, not merely most. The lanes
/// are mixed at the end (splitmix64's finaliser), which is also a bijection per lane.
///
/// Not cryptographic: it guards against truncation, bit rot and accidental edits, not an attacker
/// (who could rewrite it); validation, not the checksum, is what keeps a crafted file safe.
///
/// - Complexity: O(n), about one word per cycle (~0.3 ms for the Public file's 5.6 MB index).
enum CompiledIndexChecksum {
    static let k: UInt64 = 0x9E37_79B9_7F4A_7C15
    typealias Lanes = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    /// Each lane's starting state (digits of pi).
    static let seeds: Lanes = (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89,
                               0x4528_21E6_38D0_1377, 0xBE54_66CF_34E9_0C6C, 0xC0AC_29B7_C97C_50DD, 0x3F84_D5B5_B547_0917)

    /// One word folded into a lane: both halves are bijections of `h` (see above).
    @inline(__always) static func step(_ h: inout UInt64, _ w: UInt64) { h = (h ^ w) &* k; h ^= h &>> 29 }

    /// The lanes' final states mixed into one word, with the number of words hashed.
    @inline(__always) static func combine(_ h: Lanes, words: Int) -> UInt64 {
        mix(h.0) ^ (mix(h.1) &* 3) ^ (mix(h.2) &* 5) ^ (mix(h.3) &* 7) ^ (mix(h.4) &* 9) ^ (mix(h.5) &* 11)
            ^ (mix(h.6) &* 13) ^ (mix(h.7) &* 15) ^ UInt64(words)
    }

    /// - Precondition: `bytes.count` is a multiple of 8 and at least 64; `bytes` is 8-byte aligned.
    // Optimised even in debug builds where the compiler allows it: every load runs it over the
    // whole file, and the corruption tests run it once per flipped byte.
    @_optimize(speed)
    static func compute(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        precondition(bytes.count % 8 == 0 && bytes.count >= 64 && CompiledIndexLayout.checksumOffset == 16)
        // Mapped files and arrays are 8-byte aligned; reading typed words (not `loadUnaligned`,
        // a generic call in debug builds) keeps the corruption tests' thousands of loads fast.
        precondition(Int(bitPattern: bytes.baseAddress) % 8 == 0, "compiled index bytes must be 8-byte aligned")
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
        let words = bytes.count / 8
        var h = seeds
        @inline(__always) func block(_ i: Int, checksumAsZero: Bool) {
            step(&h.0, UInt64(littleEndian: base[i])); step(&h.1, UInt64(littleEndian: base[i &+ 1]))
            // The first block holds the checksum field (word 2): it counts as zero.
            step(&h.2, checksumAsZero ? 0 : UInt64(littleEndian: base[i &+ 2])); step(&h.3, UInt64(littleEndian: base[i &+ 3]))
            step(&h.4, UInt64(littleEndian: base[i &+ 4])); step(&h.5, UInt64(littleEndian: base[i &+ 5]))
            step(&h.6, UInt64(littleEndian: base[i &+ 6])); step(&h.7, UInt64(littleEndian: base[i &+ 7]))
        }
        block(0, checksumAsZero: true)
        var i = 8
        while i &+ 8 <= words {
            block(i, checksumAsZero: false)
            i &+= 8
        }
        while i < words {
            step(&h.0, UInt64(littleEndian: base[i]))
            i &+= 1
        }
        return combine(h, words: words)
    }

    /// `compute` of bytes that arrive in consecutive pieces of any lengths (a file's parts,
    /// `CompiledFileParts`): the same lanes over the same 64-byte blocks, a block that straddles
    /// pieces gathered in a buffer first.
    /// - Precondition (at `finish`): the total is a multiple of 8 and at least 64 bytes.
    struct Stream {
        private var h = seeds
        /// The bytes of an unfinished block (the first `filled`).
        private var pending = [UInt8](repeating: 0, count: 64)
        private var filled = 0
        private var blocks = 0

        init() {}

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard var p = bytes.baseAddress else { return }
            var left = bytes.count
            if filled > 0 {
                let n = Swift.min(64 - filled, left)
                pending.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: filled).copyMemory(from: p, byteCount: n) }
                filled += n
                p += n
                left -= n
                if filled < 64 { return }
                pending.withUnsafeBytes { block($0.baseAddress!) }
                filled = 0
            }
            while left >= 64 {
                block(p)
                p += 64
                left -= 64
            }
            if left > 0 {
                pending.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: p, byteCount: left) }
                filled = left
            }
        }

        private mutating func block(_ p: UnsafeRawPointer) {
            @inline(__always) func word(_ i: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
                step(&h.0, word(0)); step(&h.1, word(1))
            // The first block holds the checksum field (word 2): it counts as zero.
            step(&h.2, blocks == 0 ? 0 : word(2)); step(&h.3, word(3))
            step(&h.4, word(4)); step(&h.5, word(5))
            step(&h.6, word(6)); step(&h.7, word(7))
            blocks += 1
        }

        /// The checksum of everything passed to `update`.
        mutating func finish() -> UInt64 {
            precondition(filled % 8 == 0 && blocks > 0, "a compiled file is a multiple of 8 bytes and at least 64")
            // The last words that fill no block go to lane 0, as in `compute`.
            pending.withUnsafeBytes { raw in
                for i in 0 ..< filled / 8 {
                    step(&h.0, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                }
            }
            let words = blocks * 8 + filled / 8
            return combine(h, words: words)
        }
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}

/// The checksum of an index's bytes, computed on a thread of its own while the loader validates
/// (the two are independent: validation alone keeps any bytes safe to read), for a large index;
/// inline for a small one, where a thread costs more than it saves. `value()` must be called
/// once, and it waits for the thread.
final class CompiledIndexChecksumTask: @unchecked Sendable {
    /// Below this an index is hashed inline (~0.1 ms).
    static let threadThreshold = 1 << 20
    private let memory: CompiledIndexMemory
    private var result: UInt64 = 0
    #if canImport(Glibc) || canImport(Musl)
    private var thread: pthread_t? = nil
    #endif

    /// - Precondition: `memory.bytes` passed `CompiledIndexReader.checkHeader`.
    init(_ memory: CompiledIndexMemory) {
        self.memory = memory
        #if canImport(Glibc) || canImport(Musl)
        if memory.bytes.count >= Self.threadThreshold {
            // The thread retains `self` until it ends; `value()` joins it.
            if let t = HelperThread.start({ [self] in result = CompiledIndexChecksum.compute(memory.bytes) }) { thread = t; return }
        }
        #endif
        result = CompiledIndexChecksum.compute(memory.bytes)
    }

    /// The checksum, once computed.
    func value() -> UInt64 {
        #if canImport(Glibc) || canImport(Musl)
        if let t = thread {
            HelperThread.join(t)
            thread = nil
        }
        #endif
        return result
    }

    deinit {
        _ = value()
    }
}

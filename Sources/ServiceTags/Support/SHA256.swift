import CSHA256

/// SHA-256 (FIPS 180-4), incremental, for `stag info`, `stag compile` and the fetch manifest. The
/// core stays free of Foundation and CryptoKit, so it carries this one small hash.
///
/// Speed matters (it was the longest step of `stag compile`): whole blocks are compressed where
/// they lie, many per call. Where the CPU has the x86 SHA extensions, the blocks go to the
/// `CSHA256` target's routine (Swift cannot emit those instructions; on the README's EPYC it hashes
/// ~1 GB/s against the Swift rounds' ~0.17 GB/s, timed standalone over 64 MB); elsewhere, or with `.portable`, the Swift rounds: unrolled
/// by eight with the working variables renamed rather than shifted, the schedule's σ functions
/// sharing a rotation (~1.2× the textbook loop). Tests compare both engines with `SlowSHA256`, the
/// textbook loop in the test support.
public struct SHA256: Sendable {
    /// Which block function runs.
    public enum Engine: Sendable {
        /// The SHA instructions where this CPU has them, else the Swift rounds.
        case fastest
        /// The Swift rounds always (for tests of that path, and for comparison).
        case portable
    }

    /// Whether this CPU has the SHA extensions, asked once.
    static let hardwareAvailable = stag_sha256_hardware_available() != 0
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private let hardware: Bool

    public init(engine: Engine = .fastest) {
        hardware = engine == .fastest && Self.hardwareAvailable
        pending.reserveCapacity(64)
    }

    /// Feeds bytes.
    /// - Complexity: O(bytes.count).
    public mutating func update(_ bytes: some Collection<UInt8>) {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update($0) }) { return done }
        update(Array(bytes))
    }

    /// Feeds contiguous bytes: whole blocks are compressed where they lie, only a partial block
    /// is buffered (a byte-at-a-time path made `stag compile` spend half its time hashing).
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(bytes.count)
        var i = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0 ..< take])
            i = take
            if pending.count < 64 { return }
            pending.withUnsafeBufferPointer { compress($0.baseAddress!) }
            pending.removeAll(keepingCapacity: true)
        }
        let blocks = (bytes.count - i) / 64
        if blocks > 0 { compress(blocks: UnsafeRawPointer(bytes.baseAddress! + i), count: blocks) }
        i += 64 * blocks
        if i < bytes.count { pending.append(contentsOf: bytes[i...]) }
    }

    /// The digest as 64 lower-case hex digits. Consumes the hasher.
    public consuming func finalizeHex() -> String {
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { t in
            for start in stride(from: 0, to: t.count, by: 64) { compress(t.baseAddress! + start) }
        }
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for w in words {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((w >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One-shot digest of `bytes`.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var h = SHA256()
        h.update(bytes)
        return h.finalizeHex()
    }

    /// One 64-byte block at `block`.
    private mutating func compress(_ block: UnsafePointer<UInt8>) {
        compress(blocks: UnsafeRawPointer(block), count: 1)
    }

    /// `count` consecutive 64-byte blocks from `base`; the state stays in locals between them.
    private mutating func compress(blocks base: UnsafeRawPointer, count: Int) {
        if hardware {
            // The tuple's eight UInt32 lie contiguously, a, b, ..., h: the C routine's `state[8]`.
            withUnsafeMutableBytes(of: &state) { words in
                stag_sha256_hardware_compress(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                              base.assumingMemoryBound(to: UInt8.self), count)
            }
            return
        }
        Self.k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                var (a, b, c, d, e, f, g, h) = state
                for n in 0 ..< count {
                    let block = base + 64 &* n
                    for i in 0 ..< 16 { w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self)) }
                    for i in 16 ..< 64 {
                        // σ0(x) = ror7(x ^ ror11(x)) ^ x >> 3, σ1(y) = ror17(y ^ ror2(y)) ^ y >> 10. (The
                        // rounds keep the three-rotation Σ forms: nesting them lengthens the chain
                        // from one round to the next, which is what bounds the speed.)
                        let x = w[i &- 15], y = w[i &- 2]
                        w[i] = w[i &- 16] &+ ((x ^ x.ror(11)).ror(7) ^ (x &>> 3)) &+ w[i &- 7] &+ ((y ^ y.ror(2)).ror(17) ^ (y &>> 10))
                    }
                    let (a0, b0, c0, d0, e0, f0, g0, h0) = (a, b, c, d, e, f, g, h)
                    var i = 0
                    while i < 64 {
                        Self.round(a, b, c, &d, e, f, g, &h, k[i] &+ w[i])
                        Self.round(h, a, b, &c, d, e, f, &g, k[i &+ 1] &+ w[i &+ 1])
                        Self.round(g, h, a, &b, c, d, e, &f, k[i &+ 2] &+ w[i &+ 2])
                        Self.round(f, g, h, &a, b, c, d, &e, k[i &+ 3] &+ w[i &+ 3])
                        Self.round(e, f, g, &h, a, b, c, &d, k[i &+ 4] &+ w[i &+ 4])
                        Self.round(d, e, f, &g, h, a, b, &c, k[i &+ 5] &+ w[i &+ 5])
                        Self.round(c, d, e, &f, g, h, a, &b, k[i &+ 6] &+ w[i &+ 6])
                        Self.round(b, c, d, &e, f, g, h, &a, k[i &+ 7] &+ w[i &+ 7])
                        i &+= 8
                    }
                    (a, b, c, d, e, f, g, h) = (a &+ a0, b &+ b0, c &+ c0, d &+ d0, e &+ e0, f &+ f0, g &+ g0, h &+ h0)
                }
                state = (a, b, c, d, e, f, g, h)
            }
        }
    }

    /// One round, with the eight working variables renamed instead of shifted: the caller passes
    /// them rotated by one position per round, so only `d` and `h` change.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let t1 = h &+ (e.ror(6) ^ e.ror(11) ^ e.ror(25)) &+ (g ^ (e & (f ^ g))) &+ kw
        d &+= t1
        h = t1 &+ (a.ror(2) ^ a.ror(13) ^ a.ror(22)) &+ ((a & b) | (c & (a | b)))
    }
}

extension UInt32 {
    @inline(__always) fileprivate func ror(_ n: UInt32) -> UInt32 { self &>> n | self &<< (32 &- n) }
}

/// A run of structural bytes remembered from one place in a document, so the next identical run
/// can be recognised with four word compares instead of a byte-by-byte scan.
///
/// Pretty-printed JSON repeats the same bytes between tokens thousands of times: `",\n          "`
/// between the prefixes of an array, `,\n        "region": ` before a member. A byte loop costs
/// a branch per space, newline, quote and key byte. A run that matches the remembered bytes is
/// exactly as valid as the one they were learned from (the general path checked that one), and
/// holds the same newlines at the same offsets, so the scanner's line bookkeeping can be advanced
/// without looking.
///
/// Invariant: when `length > 0`, `pattern` holds the run's `length` (1...32) bytes in
/// little-endian order, zero past `length`, and `mask` has 0xFF exactly in those bytes;
/// `advance <= length`.
struct LearnedGap {
    private var pattern: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var mask: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// Bytes compared; 0 when nothing is learned (then nothing matches).
    private(set) var length = 0
    /// How far a match moves the position: `length`, or `length - 1` to stop on the last byte
    /// (the first byte of the next token, compared so that it is known).
    private(set) var advance = 0
    /// Newlines in the run.
    private(set) var newlines = 0
    /// Offset in the run of the byte after its last newline (when `newlines > 0`).
    private(set) var lineStartOffset = 0

    /// The longest run remembered: four words. Also the bytes `matches` reads.
    static let maxLength = 32

    init() {}

    /// Learns the run `bytes[0..<length]`, which the caller has validated; `bytes` must have
    /// `maxLength` readable bytes. A longer run is not learned (`length` stays 0).
    init(learning bytes: UnsafePointer<UInt8>, length: Int, advance: Int, newlines: Int, lineStartOffset: Int) {
        guard length > 0, length <= LearnedGap.maxLength else { return }
        func byteMask(_ word: Int) -> UInt64 {
            let n = min(max(length &- 8 &* word, 0), 8)
            return n == 8 ? ~0 : ~(~0 &<< UInt64(8 &* n))
        }
        mask = (byteMask(0), byteMask(1), byteMask(2), byteMask(3))
        let w = LearnedGap.words(bytes)
        pattern = (w.0 & mask.0, w.1 & mask.1, w.2 & mask.2, w.3 & mask.3)
        self.length = length
        self.advance = advance
        self.newlines = newlines
        self.lineStartOffset = lineStartOffset
    }

    /// Whether `bytes` starts with the learned run; `bytes` must have `maxLength` readable bytes.
    @inline(__always)
    func matches(_ bytes: UnsafePointer<UInt8>) -> Bool {
        let w = LearnedGap.words(bytes)
        let difference = (w.0 & mask.0 ^ pattern.0) | (w.1 & mask.1 ^ pattern.1)
            | (w.2 & mask.2 ^ pattern.2) | (w.3 & mask.3 ^ pattern.3)
        // Nothing learned: every mask is zero and `length` decides.
        return difference == 0 && length > 0
    }

    @inline(__always)
    private static func words(_ bytes: UnsafePointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        let p = UnsafeRawPointer(bytes)
        return (UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)),
                UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }
}

extension JSONScanner {
    /// Crosses `gap` if the bytes at `pos` are exactly it: `pos` moves by `gap.advance` and the
    /// line bookkeeping follows. `false` (nothing changes) when they differ, nothing is learned,
    /// or fewer than `LearnedGap.maxLength` bytes are buffered.
    @inline(__always)
    mutating func cross(_ gap: LearnedGap) -> Bool {
        guard end &- pos >= LearnedGap.maxLength, gap.matches(base + pos) else { return false }
        if gap.newlines > 0 {
            line &+= gap.newlines
            lineStart = pos &+ gap.lineStartOffset
        }
        pos &+= gap.advance
        return true
    }

    /// The run from buffer index `start` to `pos`, just crossed by the general path, which was on
    /// `line` at `start`; with `throughPos` the byte at `pos` (the next token's first) is included
    /// and a match stops on it. `nil` if a refill moved the buffer meanwhile (`consumed` changed)
    /// or fewer than `LearnedGap.maxLength` bytes from `start` are buffered.
    func learnGap(from start: Int, consumed: Int, line: Int, throughPos: Bool) -> LearnedGap? {
        guard consumed == self.consumed, end &- start >= LearnedGap.maxLength else { return nil }
        let length = pos &- start &+ (throughPos ? 1 : 0)
        return LearnedGap(learning: base + start, length: length, advance: pos &- start,
                          newlines: self.line &- line, lineStartOffset: lineStart &- start)
    }
}

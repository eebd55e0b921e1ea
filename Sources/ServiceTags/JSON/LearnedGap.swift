/// The bytes between two elements of a string array, `,` whitespace `"`, remembered from one gap
/// so the following gaps can be recognised with two word compares instead of a byte loop.
///
/// Pretty-printed arrays repeat the same gap (`",\n          "` in the real files) tens of thousands
/// of times; a byte loop over it costs a branch per space and newline. A gap that matches the
/// remembered bytes is exactly as valid as the one they were learned from, and holds the same
/// newlines at the same offsets, so the scanner's line bookkeeping can be advanced without looking.
///
/// Invariant: when `length > 0`, `pattern` holds the gap's `length` (2...16) bytes in
/// little-endian order, zero past `length`, and `mask` has 0xFF exactly in those bytes.
struct LearnedGap {
    private var pattern: (UInt64, UInt64) = (0, 0)
    private var mask: (UInt64, UInt64) = (0, 0)
    /// Bytes from the `,` to the next element's `"`, both included; 0 when nothing is learned.
    private(set) var length = 0
    /// Newlines in the gap.
    private(set) var newlines = 0
    /// Offset in the gap of the byte after its last newline (when `newlines > 0`).
    private(set) var lineStartOffset = 0

    /// The longest gap remembered: two words.
    static let maxLength = 16

    init() {}

    /// Learns the gap `bytes[0..<length]`, which the caller has validated; `bytes` must have 16
    /// readable bytes. A longer gap is not learned (`length` stays 0).
    init(learning bytes: UnsafePointer<UInt8>, length: Int, newlines: Int, lineStartOffset: Int) {
        guard length <= LearnedGap.maxLength else { return }
        let low = length >= 8 ? ~0 as UInt64 : ~(~0 &<< UInt64(8 &* length))
        let high = length <= 8 ? 0 as UInt64 : ~(~0 &<< UInt64(8 &* (length &- 8)))
        mask = (low, high)
        let words = LearnedGap.words(bytes)
        pattern = (words.0 & low, words.1 & high)
        self.length = length
        self.newlines = newlines
        self.lineStartOffset = lineStartOffset
    }

    /// Whether `bytes` starts with the learned gap; `bytes` must have 16 readable bytes.
    @inline(__always)
    func matches(_ bytes: UnsafePointer<UInt8>) -> Bool {
        let words = LearnedGap.words(bytes)
        // Nothing learned: the masks are zero and `length` decides.
        return (words.0 & mask.0) ^ pattern.0 | (words.1 & mask.1) ^ pattern.1 == 0 && length > 0
    }

    @inline(__always)
    private static func words(_ bytes: UnsafePointer<UInt8>) -> (UInt64, UInt64) {
        let p = UnsafeRawPointer(bytes)
        return (UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)),
                UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}

extension JSONScanner {
    /// Crosses `gap` if the bytes at `pos` are exactly it: `pos` moves to the gap's last byte
    /// (the next token's first byte) and the line bookkeeping follows. `false` (nothing changes)
    /// when they differ, nothing is learned, or fewer than 16 bytes are buffered.
    @inline(__always)
    mutating func cross(_ gap: LearnedGap) -> Bool {
        guard end &- pos >= LearnedGap.maxLength, gap.matches(base + pos) else { return false }
        if gap.newlines > 0 {
            line &+= gap.newlines
            lineStart = pos &+ gap.lineStartOffset
        }
        pos &+= gap.length &- 1
        return true
    }

    /// The gap from buffer index `start` through `last` (the next token's first byte), just
    /// crossed by the general path, which was on `line` at `start`. `nil` if a refill moved the
    /// buffer meanwhile (`consumed` changed) or fewer than 16 bytes from `start` are buffered.
    func gap(from start: Int, through last: Int, consumed: Int, line: Int) -> LearnedGap? {
        guard consumed == self.consumed, end &- start >= LearnedGap.maxLength else { return nil }
        return LearnedGap(learning: base + start, length: last &- start &+ 1,
                                newlines: self.line &- line, lineStartOffset: lineStart &- start)
    }
}

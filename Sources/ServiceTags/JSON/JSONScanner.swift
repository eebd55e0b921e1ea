import Glibc

/// A forward-only JSON tokenizer over a window of bytes that refills from a file descriptor.
///
/// One scanner serves both inputs: over memory the window is the whole input and `refill()` reports
/// the end; over a descriptor the window is a buffer of `chunkSize` bytes that `refill()` compacts and
/// tops up with `read(2)`, growing only when a single kept token is longer than the buffer. So a pipe
/// works and a 1 GB file needs one chunk of memory, not 1 GB: kept tokens are capped at
/// `maxKeptLength`, and skipped values (`skipValue`) keep nothing across a refill.
///
/// ```
///  base                      mark      pos            end        capacity
///   |  consumed, discardable  | token…  |  unscanned   |  free     |
///   +-------------------------+---------+--------------+-----------+
///   buffer index 0 is input byte `consumed`
/// ```
///
/// Invariants: `0 <= pos <= end <= capacity`; `mark == -1` or `mark <= pos` (bytes from `mark` on
/// survive a refill, so a token's range stays valid while it is being scanned); `line` counts the
/// newlines before `pos`, and `lineStart` is the buffer index just after the last of them (negative
/// once that byte has been discarded). Newlines are only legal in whitespace, so counting them in
/// `peekNonWhitespace()` keeps `line` exact for every position up to `pos`, pipes included.
///
/// Positions handed out (`pos`, token ranges) are buffer indexes: valid until the next call that can
/// refill, which shifts them by the number of bytes discarded.
struct JSONScanner: ~Copyable {
    /// Containers (arrays and objects) that may be open at once; one more is an error.
    static let maxDepth = 512
    /// Bits 0x09 (tab), 0x0A (LF) and 0x0D (CR): the whitespace below the space character.
    static let whitespaceBelowSpace: UInt32 = 1 << 0x09 | 1 << 0x0A | 1 << 0x0D

    /// The index after a run of spaces starting at `i` (`b[i]` is a space), eight bytes at a time:
    /// the indentation of the real files is long runs of spaces.
    @inline(__always)
    static func skipSpaces(_ b: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        guard e &- i >= 8 else { return i &+ 1 }
        let diff = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) ^ 0x2020_2020_2020_2020
        return i &+ (diff == 0 ? 8 : diff.trailingZeroBitCount &>> 3)
    }
    /// Default `read(2)` size and initial buffer size for descriptor input.
    static let defaultChunkSize = 256 * 1024
    /// The longest string or number a caller may keep (`scanString`, `scanNumber`), in raw JSON
    /// bytes without the quotes: a token being kept must stay in the buffer whole, so this bounds
    /// the buffer (to one chunk, as it is far below `defaultChunkSize`) whatever the input holds.
    /// Values skipped whole (`skipValue`) stream instead and may be of any length.
    static let maxKeptLength = 4096

    var base: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// Whether `base` was allocated here (descriptor input, copies); borrowed memory is never written.
    let ownsBuffer: Bool
    /// The descriptor to refill from, or -1 for memory input.
    let fd: Int32
    /// Sees every run of bytes `read(2)` returns, in input order, before any of it is scanned (so
    /// a caller can hash a pipe as it streams); nil for memory input. Called once per read, never
    /// per byte, so the scanning loops are unchanged.
    let observer: ((UnsafeBufferPointer<UInt8>) -> Void)?
    var pos = 0
    var end: Int
    var mark = -1
    /// Input offset of `base[0]`.
    var consumed = 0
    var line = 1
    var lineStart = 0
    var sawEndOfInput: Bool

    /// Scans `bytes` in place; the caller keeps them alive and unchanged while the scanner lives.
    init(borrowing bytes: UnsafeBufferPointer<UInt8>) {
        if let start = bytes.baseAddress {
            base = UnsafeMutablePointer(mutating: start)
            ownsBuffer = false
        } else {
            base = .allocate(capacity: 1)
            ownsBuffer = true
        }
        capacity = bytes.count
        end = bytes.count
        fd = -1
        observer = nil
        sawEndOfInput = true
    }

    /// Scans `count` bytes at `buffer`, which the scanner deallocates when done.
    init(adopting buffer: UnsafeMutablePointer<UInt8>, count: Int) {
        base = buffer
        ownsBuffer = true
        capacity = count
        end = count
        fd = -1
        observer = nil
        sawEndOfInput = true
    }

    /// Scans what `read(2)` returns from `fileDescriptor`, `chunkSize` bytes at a time, showing each
    /// read to `observer` first. The descriptor is not closed.
    init(fileDescriptor: Int32, chunkSize: Int, observer: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil) {
        let size = max(chunkSize, 1)
        base = .allocate(capacity: size)
        ownsBuffer = true
        capacity = size
        end = 0
        fd = fileDescriptor
        self.observer = observer
        sawEndOfInput = false
    }

    deinit {
        if ownsBuffer { base.deallocate() }
    }

    /// The location of buffer index `i`, which must be on the line of `pos` (no newline in between).
    func location(at i: Int) -> JSONLocation {
        JSONLocation(offset: consumed &+ i, line: line, column: i &- lineStart &+ 1)
    }

    @inline(never)
    func error(_ reason: JSONError.Reason, at i: Int) -> JSONError {
        JSONError(reason, at: location(at: i))
    }

    /// Makes more input available after `end`, discarding bytes before `mark` (or `pos`).
    ///
    /// Shifts `pos`, `end`, `mark` and `lineStart` by the number of bytes discarded; grows the
    /// buffer (doubling) only when the bytes kept fill it.
    /// - Returns: `false` at the end of the input (nothing was added).
    /// - Throws: `JSONError.Reason.readFailed` when `read(2)` fails.
    @inline(never)
    mutating func refill() throws(JSONError) -> Bool {
        if sawEndOfInput { return false }
        let keep = mark >= 0 ? mark : pos
        if keep > 0 {
            memmove(base, base + keep, end - keep)
            pos -= keep
            end -= keep
            if mark >= 0 { mark -= keep }
            lineStart -= keep
            consumed += keep
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: base, count: end)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        while true {
            let n = read(fd, base + end, capacity - end)
            if n > 0 {
                observer?(UnsafeBufferPointer(start: base + end, count: n))
                end += n
                return true
            }
            if n == 0 {
                sawEndOfInput = true
                return false
            }
            let e = errno
            if e == EINTR { continue }
            throw error(.readFailed(errno: e), at: pos)
        }
    }

    /// Makes at least `n` bytes from `pos` available; `false` if the input ends first.
    @inline(__always)
    mutating func ensure(_ n: Int) throws(JSONError) -> Bool {
        while end - pos < n {
            if try !refill() { return false }
        }
        return true
    }

    /// Skips a UTF-8 byte order mark at the very start of the input (RFC 8259 section 8.1 lets
    /// parsers ignore one). Column 1 is the byte after it.
    mutating func skipByteOrderMark() throws(JSONError) {
        guard try ensure(3), base[pos] == 0xEF, base[pos + 1] == 0xBB, base[pos + 2] == 0xBF else { return }
        pos += 3
        lineStart = pos
    }

    /// Skips JSON whitespace (space, tab, CR, LF), counting LFs, and returns the next byte without
    /// consuming it; `nil` at the end of the input.
    ///
    /// The real files are indented, so this runs over a few spaces before every token: a run of
    /// spaces is crossed eight bytes per step, the first non-space found with one
    /// `trailingZeroBitCount` (little-endian load: byte k is bits 8k..<8k+8).
    /// - Complexity: O(bytes skipped).
    @inline(__always)
    mutating func peekNonWhitespace() throws(JSONError) -> UInt8? {
        while true {
            let b = base
            let e = end
            var i = pos
            while i < e {
                let c = b[i]
                if c > 0x20 {
                    pos = i
                    return c
                }
                if c == 0x20 {
                    i = JSONScanner.skipSpaces(b, i, e)
                } else {
                    // A mask test, not a compare chain: LLVM turns the chain into a jump table
                    // whose indirect branch mispredicts on every space/newline alternation.
                    let bit: UInt32 = 1 &<< UInt32(c & 31)
                    guard bit & JSONScanner.whitespaceBelowSpace != 0 else {
                        pos = i
                        return c
                    }
                    i &+= 1
                    if c == 0x0A {
                        line &+= 1
                        lineStart = i
                    }
                }
            }
            pos = i
            if try !refill() { return nil }
        }
    }

    /// Like `peekNonWhitespace()`, but the end of the input is an error.
    @inline(__always)
    mutating func peekValueByte() throws(JSONError) -> UInt8 {
        guard let c = try peekNonWhitespace() else { throw error(.unexpectedEnd, at: end) }
        return c
    }
}

/// `strerror(3)` text for an `errno`, for messages.
enum SystemError {
    static func message(errno e: Int32) -> String {
        guard let s = strerror(e) else { return "errno \(e)" }
        return String(cString: s) + " (errno \(e))"
    }
}

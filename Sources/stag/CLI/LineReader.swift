#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a file descriptor as they arrive (so `stag lookup -` streams), without Foundation.
///
/// The newline search resumes where the previous one stopped (`scanned`), so a line that arrives
/// in many small reads is scanned once, not once per read (issue 8 item 7: that rescan made
/// `stag grep` quadratic in line length). The buffer holds the current line plus at most one block.
/// - Complexity: O(n) bytes examined in total for n bytes read (`bytesScanned` counts them).
struct LineReader {
    /// Fills the buffer it is given; returns the byte count, 0 at the end, or -1 with `errno` set.
    typealias Source = (UnsafeMutableRawBufferPointer) -> Int

    private let source: Source
    private let blockSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes of `buffer[start...]` before this index are known to hold no newline.
    private var scanned = 0
    private var eof = false
    private(set) var error: String?
    /// Bytes the newline search has examined (for the linearity test).
    private(set) var bytesScanned = 0

    /// Called before each blocking read, so the caller can flush results for what it has seen.
    private let beforeRead: () -> Void

    init(fd: Int32, beforeRead: @escaping () -> Void = {}) {
        self.init(blockSize: 1 << 16, beforeRead: beforeRead) { read(fd, $0.baseAddress, $0.count) }
    }

    init(blockSize: Int, beforeRead: @escaping () -> Void = {}, source: @escaping Source) {
        self.source = source
        self.blockSize = blockSize
        self.beforeRead = beforeRead
    }

    /// The next line without its terminator (`\n` or `\r\n`), or nil at the end.
    mutating func next() -> String? {
        while true {
            let from = max(start, scanned)
            if let nl = buffer[from...].firstIndex(of: 0x0A) {
                bytesScanned += nl + 1 - from
                var end = nl
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                scanned = start
                return line
            }
            bytesScanned += buffer.count - from
            scanned = buffer.count
            if eof {
                if start < buffer.count {
                    let line = String(decoding: buffer[start...], as: UTF8.self)
                    start = buffer.count
                    scanned = start
                    return line
                }
                return nil
            }
            if start > 0 { buffer.removeFirst(start); scanned -= start; start = 0 }
            beforeRead()
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: blockSize))
            let n = buffer.withUnsafeMutableBytes { source(UnsafeMutableRawBufferPointer(rebasing: $0[old...])) }
            buffer.removeLast(blockSize - max(n, 0))
            if n < 0 {
                if errno == EINTR { continue }
                error = String(cString: strerror(errno))
                eof = true
            } else if n == 0 {
                eof = true
            }
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

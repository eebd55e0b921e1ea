#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A descriptor's lines, read in blocks, for the commands that answer line by line through
/// `String`s (`lookup -` with several `--data` or `--overlap`, `suggest -`, `history -`); the single-source
/// streams have `BlockPipeline`.
///
/// Every line is handed over as its bytes without the `\n`, and `afterBlock` runs once the lines
/// of a read are done, before the next read, which may block: output flushed there streams for a
/// pipe fed line by line, while bulk input is written a block at a time instead of a `write` per
/// line (which was a fifth of `lookup -` with two sources). The last line needs no `\n`.
///
/// Invariant: `buffer[..<count]` holds the bytes read and not yet handed over, the start of one
/// line with no newline in it; so a read's bytes are the only ones searched.
/// - Complexity: each byte is read and searched for `\n` once; a line longer than a block grows
///   the buffer to its length (then shrinks back), so a 200 MB line costs 200 MB once.
struct InputLines {
    /// Bytes asked of each `read`.
    static let blockSize = 1 << 16

    /// Calls `line` for each line of `fd` to its end, `afterBlock` after each read's lines.
    /// - Throws: `CLIError` (exit 2) naming `command` when a read fails; the lines before it were
    ///   handed over.
    static func forEach(fd: Int32, command: String, _ line: (UnsafeRawBufferPointer) -> Void, afterBlock: () -> Void) throws(CLIError) {
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var count = 0
        while true {
            if buffer.count - count < blockSize / 2 { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("\(command): reading addresses from standard input: \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                if count > 0 { buffer.withUnsafeBytes { line(UnsafeRawBufferPointer(rebasing: $0[..<count])) } }
                afterBlock()
                return
            }
            let unsearched = count
            count += n
            let consumed: Int = buffer.withUnsafeBytes { raw in
                var start = 0, p = unsearched
                while p < count, let nl = memchr(raw.baseAddress! + p, 0x0A, count - p) {
                    let end = UnsafeRawPointer(nl) - raw.baseAddress!
                    line(UnsafeRawBufferPointer(rebasing: raw[start ..< end]))
                    start = end + 1
                    p = start
                }
                return start
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, count - consumed)
                }
                count -= consumed
                if buffer.count > 4 * blockSize && count < blockSize { buffer = Array(buffer[..<blockSize]) }
            }
            afterBlock()
        }
    }

    /// `forEach` for inputs of addresses: each line as a `String`, trimmed, blank lines and `#`
    /// comments left out.
    static func forEachInput(fd: Int32, command: String, _ input: (String) -> Void, afterBlock: () -> Void) throws(CLIError) {
        try forEach(fd: fd, command: command, { raw in
            let text = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
            if !text.isEmpty && !text.hasPrefix("#") { input(text) }
        }, afterBlock: afterBlock)
    }
}

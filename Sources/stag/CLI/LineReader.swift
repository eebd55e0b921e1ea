#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a file descriptor as they arrive (so `stag lookup -` streams), without Foundation.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private(set) var error: String?

    /// Called before each blocking read, so the caller can flush results for what it has seen.
    private let beforeRead: () -> Void

    init(fd: Int32, beforeRead: @escaping () -> Void = {}) {
        self.fd = fd
        self.beforeRead = beforeRead
    }

    /// The next line without its terminator (`\n` or `\r\n`), or nil at the end.
    mutating func next() -> String? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                return line
            }
            if eof {
                if start < buffer.count {
                    let line = String(decoding: buffer[start...], as: UTF8.self)
                    start = buffer.count
                    return line
                }
                return nil
            }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            beforeRead()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                error = String(cString: strerror(errno))
                eof = true
            } else if n == 0 {
                eof = true
            } else {
                buffer.append(contentsOf: chunk[0..<n])
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

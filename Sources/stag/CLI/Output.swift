#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ServiceTags

/// A buffered writer to a file descriptor: results to stdout, messages to stderr.
///
/// The CLI avoids Foundation so that a lookup process starts in a few milliseconds; this is the
/// whole of its output machinery. Text is appended as UTF-8 and written in 64 KiB blocks.
final class Output: @unchecked Sendable {  // used from the main thread only
    let fd: Int32
    private var buffer: [UInt8] = []
    /// Whether the descriptor is a terminal (progress and colour only then).
    let isTerminal: Bool

    init(fd: Int32) {
        self.fd = fd
        isTerminal = isatty(fd) == 1
        buffer.reserveCapacity(1 << 16)
    }

    static let standardOutput = Output(fd: 1)
    static let standardError = Output(fd: 2)

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends raw bytes; a large run is written straight through after what is buffered.
    func write(raw: UnsafeRawBufferPointer) {
        if buffer.count + raw.count <= 1 << 16 {
            buffer.append(contentsOf: raw)
            if buffer.count >= 1 << 16 { flush() }
            return
        }
        flush()
        if !failed, writeAll(raw, to: fd) != nil { failed = true }
    }

    func write(raw bytes: [UInt8]) { bytes.withUnsafeBytes { write(raw: $0) } }

    func line(_ s: String = "") { write(s); buffer.append(0x0A) }

    /// Whether a write has failed (a full disk, a closed pipe with SIGPIPE ignored). Sticky: the
    /// buffer is dropped on failure, so a later successful flush must not hide the loss.
    private(set) var failed = false

    /// Writes everything buffered; returns false if this or any earlier write failed.
    @discardableResult
    func flush() -> Bool {
        let ok = writeAll(buffer, to: fd) == nil
        buffer.removeAll(keepingCapacity: true)
        if !ok { failed = true }
        return !failed
    }
}

/// Warnings go to stderr immediately, prefixed like errors, with control characters escaped
/// (`HumanText.sanitized`) as the CLI's errors are.
func warn(_ message: String) {
    Output.standardError.line(HumanText.sanitized("stag: warning: \(message)"))
    Output.standardError.flush()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
/// - Returns: `nil` on success, else the `errno` of the write that failed (what was written before
///   it stays written).
/// - Complexity: O(n) bytes, in as few `write` calls as the kernel takes.
func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
    bytes.withUnsafeBytes { writeAll($0, to: fd) }
}

/// `writeAll` for raw memory (the streaming commands' output blocks).
func writeAll(_ raw: UnsafeRawBufferPointer, to fd: Int32) -> Int32? {
    var offset = 0
    while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

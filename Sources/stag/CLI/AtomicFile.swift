#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole file so that readers see either the old file or the complete new one, never a
/// part: the bytes go to a temporary file in the same directory (same file system, so `rename` is
/// atomic), which is flushed with `fsync` and then renamed over the target. On any failure the
/// temporary file is removed and the target is untouched; a target that did not exist still
/// does not.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if base.isEmpty { throw CLIError("\(path): not a file name") }
        var template = Array(((directory.isEmpty ? "/" : directory + "/") + "." + base + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw CLIError("\(path): cannot create a temporary file: \(errorText())") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // Reports errno as it was at the failure, then closes and removes the temporary file.
        func fail(_ what: String, closing: Bool = true) -> CLIError {
            let error = CLIError("\(path): \(what): \(errorText())")
            if closing { close(fd) }
            unlink(temporary)
            return error
        }
        // mkstemp creates the file 0600; give it the permissions a plain create would.
        let mask = umask(0)
        umask(mask)
        if fchmod(fd, 0o666 & ~mask) != 0 { throw fail("cannot set permissions") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write failed")
            }
            offset += n
        }
        if fsync(fd) != 0 { throw fail("fsync failed") }
        if close(fd) != 0 { throw fail("close failed", closing: false) }
        if rename(temporary, path) != 0 { throw fail("cannot replace the file", closing: false) }
        // Make the rename itself durable.
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written all-or-nothing, for every command's `-o FILE` (`cli.md`: "writes atomically").
///
/// Bytes go to a temporary file created beside the target (same directory, so the same file
/// system), which is flushed to disk (`fsync`) and then `rename`d over the target: a reader sees
/// the old file or the complete new one, never a part. If anything fails, or the writer is dropped
/// without `commit()`, the temporary file is removed and the target is untouched; a run that fails
/// before committing therefore leaves no file behind.
///
/// The new file gets the target's permissions when it replaces one, else `0666` minus the umask,
/// as if the shell had created it.
final class AtomicFile {
    let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var finished = false

    /// Creates the temporary file for `path`.
    /// - Throws: `CLIError` (exit 2) naming the path when the directory is missing or not writable.
    init(path: String) throws(CLIError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if base.isEmpty { throw CLIError("cannot write '\(path)': not a file name") }
        var template = Array((directory + "." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw CLIError("cannot write '\(path)': \(Self.lastError())") }
        self.fd = fd
        // mkstemp filled in the X's; drop the terminating NUL.
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var existing = stat()
        let mode: mode_t
        if stat(path, &existing) == 0 {
            mode = existing.st_mode & 0o7777
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o666 & ~mask
        }
        fchmod(fd, mode)
    }

    deinit { if !finished { abort() } }

    /// Appends `bytes` to the temporary file.
    /// - Throws: `CLIError` on an I/O error (disk full...); the caller should let the writer go.
    func write(_ bytes: [UInt8]) throws(CLIError) {
        if let failure = writeAll(bytes, to: fd) { throw CLIError("cannot write '\(path)': \(String(cString: strerror(failure)))") }
    }

    func write(_ text: String) throws(CLIError) { try write(Array(text.utf8)) }

    /// Flushes the data to disk and moves it into place.
    /// - Throws: `CLIError` if syncing, closing or renaming fails; the temporary file is removed.
    func commit() throws(CLIError) {
        precondition(!finished, "AtomicFile committed twice")
        if fsync(fd) != 0 || close(fd) != 0 {
            let message = Self.lastError()
            fd = -1
            abort()
            throw CLIError("cannot write '\(path)': \(message)")
        }
        fd = -1
        if rename(temporaryPath, path) != 0 {
            let message = Self.lastError()
            abort()
            throw CLIError("cannot write '\(path)': \(message)")
        }
        finished = true
        // Make the rename itself durable.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// Discards the temporary file; the target is left as it was.
    func abort() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
        finished = true
    }

    /// Writes `bytes` to `path` atomically in one call.
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        let file = try AtomicFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

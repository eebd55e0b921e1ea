#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written all-or-nothing, for every command's `-o FILE` (`cli.md`: "writes atomically").
///
/// What `FILE` names is resolved first (`OutputTarget`): a device, FIFO or socket is written in
/// place and never replaced; a symbolic link is followed and its final target is replaced, the
/// link stays; a directory is an error.
///
/// A regular file gets its bytes in a temporary file created beside the (final) target, same
/// directory so the same file system, `mkstemp`-named `.NAME.tmp-XXXXXX`, locked with `flock` while
/// this writer lives and registered with `TemporaryFiles` so SIGINT/SIGTERM/SIGPIPE/SIGXFSZ remove
/// it. `commit()` flushes it to disk (`fsync`) and `rename`s it over the target: a reader sees the
/// old file or the complete new one, never a part. If anything fails, or the writer is dropped
/// without `commit()`, the temporary file is removed and the target is untouched. Temporaries left
/// by an earlier run that was killed (SIGKILL, a crash, a power cut) are removed when the next one
/// is created (`removeLeftovers`).
///
/// The new file keeps the replaced file's owner and group (as root; otherwise the group if we may)
/// and permission bits minus setuid/setgid; a new file gets `0666` minus the umask, as if the shell
/// had created it.
final class AtomicFile {
    let path: String
    let command: String
    /// The temporary file's path; nil when writing in place.
    private let temporaryPath: String?
    private let finalPath: String
    private var slot: Int?
    private var fd: Int32
    private var finished = false

    /// Resolves `path` and creates the temporary file (or opens the device).
    /// - Parameter command: the command name, for the `stag: COMMAND: ` error prefix.
    /// - Throws: `CLIError` (exit 2) naming the path when it is a directory, the directory is
    ///   missing or not writable, or a device cannot be opened.
    init(path: String, command: String) throws(CLIError) {
        self.path = path
        self.command = command
        var start = timespec()
        clock_gettime(CLOCK_REALTIME, &start)
        if path.isEmpty || path.hasSuffix("/") { throw CLIError("\(command): cannot write '\(path)': not a file name") }
        switch try OutputTarget.resolve(path, command: command) {
        case .stream(let fd):
            self.fd = fd
            temporaryPath = nil
            finalPath = path
            slot = nil
        case .file(let final, let existing):
            finalPath = final
            let slash = final.lastIndex(of: "/")
            let directory = slash.map { String(final[...$0]) } ?? ""
            let base = slash.map { String(final[final.index(after: $0)...]) } ?? final
            let template = directory + Self.temporaryTemplate(for: base)
            let made = TemporaryFiles.create { () -> (Int32, String)? in
                var name = Array(template.utf8CString)
                let fd = name.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                if fd < 0 { return nil }
                // mkstemp filled in the X's; drop the terminating NUL.
                return (fd, String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            guard let made else { throw CLIError("\(command): cannot write '\(path)': \(OutputTarget.lastError())") }
            let (fd, temporary) = (made.fd, made.path)
            self.fd = fd
            temporaryPath = temporary
            slot = made.slot
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // (mkostemp is not in Swift's Glibc module)
            flock(fd, LOCK_EX)  // "a live writer's file": see removeLeftovers
            Self.copyOwnership(existing, to: fd)
            let ownName = temporary.lastIndex(of: "/").map { String(temporary[temporary.index(after: $0)...]) } ?? temporary
            Self.removeLeftovers(in: directory, base: base, keeping: ownName, before: start)
        }
    }

    /// Owner, group and mode for the temporary file `fd` (which `mkstemp` made `0600`).
    private static func copyOwnership(_ existing: stat?, to fd: Int32) {
        guard let existing else {
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
            return
        }
        // Only root may give a file away; others may still set a group they belong to. EPERM is
        // expected then and ignored: the file is ours, as if we had created it.
        if geteuid() == 0 {
            fchown(fd, existing.st_uid, existing.st_gid)
        } else if existing.st_gid != getegid() {
            fchown(fd, uid_t.max, existing.st_gid)
        }
        // After fchown, which clears setuid/setgid anyway: never hand them to new content.
        fchmod(fd, existing.st_mode & 0o1777)
    }

    deinit { if !finished { abort() } }

    /// Appends `bytes`.
    /// - Throws: `CLIError` on an I/O error (disk full, `ulimit -f`...); the temporary file is
    ///   removed at once and the target is untouched.
    func write(_ bytes: [UInt8]) throws(CLIError) {
        try finishWrite(bytes.withUnsafeBytes { writeAll($0, to: checkedDescriptor()) })
    }

    func write(_ text: String) throws(CLIError) { try write(Array(text.utf8)) }

    /// Appends raw bytes (a compiled file's parts, written where they lie).
    /// - Throws: as `write(_: [UInt8])`.
    func write(_ raw: UnsafeRawBufferPointer) throws(CLIError) {
        try finishWrite(writeAll(raw, to: checkedDescriptor()))
    }

    private func checkedDescriptor() -> Int32 {
        precondition(!finished, "AtomicFile written after it finished")
        return fd
    }

    /// A failed write removes the temporary file at once and says why.
    private func finishWrite(_ failure: Int32?) throws(CLIError) {
        guard let failure else { return }
        abort()
        throw CLIError("\(command): cannot write '\(path)': \(String(cString: strerror(failure)))")
    }

    /// Flushes the data to disk and moves it into place (in place: closes the descriptor).
    /// - Throws: `CLIError` if syncing, closing or renaming fails; the temporary file is removed.
    func commit() throws(CLIError) {
        precondition(!finished, "AtomicFile committed twice")
        guard let temporaryPath else {
            let failed = close(fd) != 0
            fd = -1
            finished = true
            if failed && errno != EINTR { throw CLIError("\(command): cannot write '\(path)': \(OutputTarget.lastError())") }
            return
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            let message = OutputTarget.lastError()
            fd = -1
            abort()
            throw CLIError("\(command): cannot write '\(path)': \(message)")
        }
        fd = -1
        if rename(temporaryPath, finalPath) != 0 {
            let message = OutputTarget.lastError()
            abort()
            throw CLIError("\(command): cannot write '\(path)': \(message)")
        }
        TemporaryFiles.unregister(slot)
        finished = true
        // Make the rename itself durable.
        let slash = finalPath.lastIndex(of: "/")
        let directory = slash.map { String(finalPath[..<$0]) } ?? "."
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// Discards the temporary file; the target is left as it was. (In place, what was written
    /// stays written: a device cannot take it back.)
    func abort() {
        if fd >= 0 { close(fd); fd = -1 }
        if let temporaryPath { unlink(temporaryPath) }
        TemporaryFiles.unregister(slot)
        finished = true
    }

    /// Writes `bytes` to `path` atomically in one call.
    static func write(_ bytes: [UInt8], to path: String, command: String) throws(CLIError) {
        let file = try AtomicFile(path: path, command: command)
        try file.write(bytes)
        try file.commit()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AtomicFile {
    /// The temporary-file name for a target named `base`, as given to `mkstemp`.
    static func temporaryTemplate(for base: String) -> String { "." + base + ".tmp-XXXXXX" }

    /// Whether `name` is one of our temporary names for `base` (`.BASE.tmp-` and six of mkstemp's
    /// `[A-Za-z0-9]`).
    static func isTemporaryName(_ name: String, for base: String) -> Bool {
        let prefix = Array(("." + base + ".tmp-").utf8), bytes = Array(name.utf8)
        guard bytes.count == prefix.count + 6, bytes.starts(with: prefix) else { return false }
        return bytes[prefix.count...].allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
        }
    }

    /// Removes what a killed earlier run left beside the target: our temporary names for `base` in
    /// `directory`, regular files last modified before `before`, owned by us (any owner as root,
    /// since a temporary takes the target's owner), and not locked. A live writer holds `flock` on
    /// its temporary file until it is renamed or removed, so a slow concurrent run (one still
    /// reading its input) keeps its file; the kernel drops the lock of a killed one.
    /// Failures are ignored: this is tidying, not the write.
    /// - Complexity: O(entries in the directory).
    static func removeLeftovers(in directory: String, base: String, keeping own: String, before: timespec) {
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(dir) }
        let dfd = dirfd(dir)
        let euid = geteuid()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            guard name != own, isTemporaryName(name, for: base) else { continue }
            var st = stat()
            guard fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFREG,
                  euid == 0 || st.st_uid == euid,
                  (st.st_mtim.tv_sec, st.st_mtim.tv_nsec) < (before.tv_sec, before.tv_nsec) else { continue }
            let fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var opened = stat(), again = stat()
            guard flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &opened) == 0,
                  fstatat(dfd, name, &again, AT_SYMLINK_NOFOLLOW) == 0,
                  opened.st_dev == again.st_dev, opened.st_ino == again.st_ino else { continue }
            unlinkat(dfd, name, 0)
        }
    }
}

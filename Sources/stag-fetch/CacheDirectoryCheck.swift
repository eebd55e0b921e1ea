import Foundation

/// Who may write in the cache directory decides whether storing into it is safe.
///
/// `stag fetch` often runs as root (a nightly job feeding a firewall). If anyone else can create
/// or rename entries in the cache directory, they can plant links, swap the weekly file under
/// the commands that read it, or point the directory itself elsewhere. So a directory is used
/// only if it is owned by the current user or root and is not writable by group or others
/// (a sticky, world-writable directory such as /tmp is accepted: others cannot remove or rename
/// our entries there); when the path is a symbolic link, the link too must be owned by the
/// current user or root. A directory that does not exist is created `0700`, with any missing
/// parents.
enum CacheDirectoryCheck {
    /// Why `path` must not be used, or nil when it is acceptable or does not exist yet.
    static func refusal(_ path: String) -> String? {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            return errno == ENOENT ? nil : "cannot examine the cache directory \(path): \(FileIO.errnoText())"
        }
        if (link.st_mode & S_IFMT) == S_IFLNK, !isTrustedOwner(link.st_uid) {
            return "the cache directory \(path) is a symbolic link owned by uid \(link.st_uid), not by you or root; refusing to follow it (use --dir with a directory you own)"
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            return errno == ENOENT ? nil : "cannot examine the cache directory \(path): \(FileIO.errnoText())"
        }
        return refusal(st, path: path)
    }

    /// The same judgement on an opened directory's `fstat` (what is actually written into).
    static func refusal(_ st: stat, path: String) -> String? {
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return "the cache directory \(path) is not a directory" }
        guard isTrustedOwner(st.st_uid) else {
            return "the cache directory \(path) is owned by uid \(st.st_uid), not by you (uid \(getuid())) or root; refusing to store into it"
        }
        let mode = st.st_mode & 0o7777
        if mode & 0o022 != 0, mode & S_ISVTX == 0 {
            return "the cache directory \(path) can be written by others (mode \(String(mode, radix: 8))); refusing to store into it (chmod go-w \(path), or use --dir)"
        }
        return nil
    }

    static func isTrustedOwner(_ uid: uid_t) -> Bool { uid == getuid() || uid == 0 }

    /// Creates `path` and its missing parents, each `0700` (before the umask).
    static func create(_ path: String) throws(FetchFailure) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw .storage("cannot create \(prefix): \(FileIO.errnoText())")
            }
        }
    }

    /// Creates the directory if needed and opens it, checked; the descriptor is what the store
    /// writes through, so a path swapped after the check changes nothing.
    static func open(_ path: String) throws(FetchFailure) -> Int32 {
        if let why = refusal(path) { throw .unsafeDirectory(why) }
        try create(path)
        if let why = refusal(path) { throw .unsafeDirectory(why) }
        let fd = Foundation.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .storage("cannot open \(path): \(FileIO.errnoText())") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw .storage("cannot examine \(path): \(FileIO.errnoText())") }
        if let why = refusal(st, path: path) { close(fd); throw .unsafeDirectory(why) }
        return fd
    }
}

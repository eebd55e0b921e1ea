#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an `-o PATH` names, decided before anything is written (issue 8 item 3).
///
/// - A character device, FIFO, socket or block device (`/dev/null`, `/dev/stdout` on a pipe or a
///   terminal) is written in place: opened `O_WRONLY` without `O_CREAT`/`O_TRUNC`, never replaced.
/// - A symbolic link is followed to its final target (relative links resolve against the link's own
///   directory; at most `maxHops` links); that target is what gets replaced, the links stay.
/// - A regular file, existing or not, is replaced by renaming a temporary file over it.
/// - A directory is an error.
enum OutputTarget {
    /// A regular file at `path` (no link left to follow), `existing` if it is there now.
    case file(path: String, existing: stat?)
    /// Something that is not a regular file, already opened for writing.
    case stream(fd: Int32)

    /// Linux's own limit on links followed in one lookup (`MAXSYMLINKS`).
    static let maxHops = 40

    /// - Throws: `CLIError` naming `path` for a directory, a link loop, a socket that is not our
    ///   standard output or error, or a device that cannot be opened.
    static func resolve(_ path: String, command: String) throws(CLIError) -> OutputTarget {
        func failure(_ why: String) -> CLIError { CLIError("\(command): cannot write '\(path)': \(why)") }
        var followed = stat()
        if stat(path, &followed) == 0 {
            switch followed.st_mode & S_IFMT {
            case S_IFDIR: throw failure("is a directory")
            case S_IFREG: break
            default: return .stream(fd: try openInPlace(path, followed, failure))
            }
        } else if errno != ENOENT {
            throw failure(lastError())
        }
        let final = try finalName(path, failure)
        guard stat(path, &followed) == 0 else { return .file(path: final, existing: nil) }
        var named = stat()
        // /proc/self/fd/N of a deleted file, or a name swapped meanwhile: no name to replace.
        guard lstat(final, &named) == 0, named.st_dev == followed.st_dev, named.st_ino == followed.st_ino else {
            let fd = open(path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC)
            if fd < 0 { throw failure(lastError()) }
            return .stream(fd: fd)
        }
        return .file(path: final, existing: named)
    }

    /// The path left once every symbolic link in the last component is followed.
    /// - Complexity: at most `maxHops` `lstat`/`readlink` pairs.
    static func finalName(_ path: String, _ failure: (String) -> CLIError) throws(CLIError) -> String {
        var current = path
        for _ in 0...maxHops {
            var st = stat()
            if lstat(current, &st) != 0 {
                if errno == ENOENT { return current }  // not there yet (a dangling link's target): create it
                throw failure(lastError())
            }
            guard st.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            if n < 0 { throw failure(lastError()) }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("/") {
                current = target
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + target
            } else {
                current = target
            }
        }
        throw failure("more than \(maxHops) symbolic links")
    }

    /// Opens a device, FIFO or socket for writing as it is. A socket cannot be `open`ed: one that is
    /// our standard output or error (`-o /dev/stdout` under a socket-activated service) is written
    /// through that descriptor.
    private static func openInPlace(_ path: String, _ st: stat, _ failure: (String) -> CLIError) throws(CLIError) -> Int32 {
        if st.st_mode & S_IFMT == S_IFSOCK {
            for fd: Int32 in [1, 2] {
                var own = stat()
                if fstat(fd, &own) == 0 && own.st_dev == st.st_dev && own.st_ino == st.st_ino {
                    let copy = dup(fd)
                    if copy < 0 { throw failure(lastError()) }
                    return copy
                }
            }
            throw failure("is a socket")
        }
        while true {
            let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure(lastError()) }
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}

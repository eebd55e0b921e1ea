import Foundation
import ServiceTags

/// The checks a downloaded body must pass before it may replace anything in the cache.
struct ValidatedBody {
    var changeNumber: Int?
    var tagCount: Int
    var size: Int
    var sha256: String
    /// The parsed file, for compiling its index beside it.
    var file: ServiceTagsFile

    /// - Parameters:
    ///   - previousSize: the size of the newest stored file of the same cloud, if any.
    /// - Throws: `AttemptFailure` saying which check failed.
    static func validate(_ body: Data, cloud: ServiceTagsCloud, source: String, previousSize: Int?,
                         force: Bool) throws(AttemptFailure) -> ValidatedBody {
        guard !body.isEmpty else { throw AttemptFailure("the body is empty") }
        let file = try parse(body, source: source)
        guard file.cloud == cloud.cloudField else {
            throw AttemptFailure("the file is for cloud \"\(file.cloud)\", not \"\(cloud.cloudField)\" (--cloud \(cloud.optionName))")
        }
        guard !file.tags.isEmpty else { throw AttemptFailure("the file lists no service tags") }
        // A weekly step changes a few hundred prefixes; losing half the file means a broken source.
        if let previousSize, !force, body.count * 2 < previousSize {
            throw AttemptFailure("the file has \(body.count) bytes, less than half of the \(previousSize) stored last time; refusing it (--force accepts it)")
        }
        return ValidatedBody(changeNumber: file.changeNumber, tagCount: file.tags.count, size: body.count,
                             sha256: SHA256.hex(body), file: file)
    }

    /// Parses the body completely with the core reader, in memory (no temporary file: the body
    /// is at most `--max` bytes and already held).
    private static func parse(_ body: Data, source: String) throws(AttemptFailure) -> ServiceTagsFile {
        do {
            return try ServiceTagsFile(bytes: [UInt8](body), path: source)
        } catch {
            throw AttemptFailure("not a valid ServiceTags file: \(error)")
        }
    }
}

/// Small Glibc file helpers (Foundation's FileHandle hides fsync and rename errors).
enum FileIO {
    struct Error: Swift.Error, CustomStringConvertible {
        var description: String
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func writeAll(_ fd: Int32, _ data: Data) throws(Error) {
        let failure: String? = data.withUnsafeBytes { raw -> String? in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errnoText()
                }
                offset += n
            }
            return nil
        }
        if let failure { throw Error(description: failure) }
    }

    /// `.<name>.<12 random letters or digits>.tmp`: nobody can guess it in advance to plant a link.
    static func temporaryName(for name: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var random = SystemRandomNumberGenerator()
        let token = (0..<12).map { _ in alphabet[Int(random.next(upperBound: UInt64(alphabet.count)))] }
        return ".\(name).\(String(decoding: token, as: UTF8.self)).tmp"
    }

    /// Writes `data` to `name` in the directory `dirFD` (`dir` is for messages) atomically: a
    /// temporary file with an unpredictable name created `O_CREAT|O_EXCL|O_NOFOLLOW` (never an
    /// existing file or a planted link), fsync, rename, fsync of the directory. On failure the
    /// temporary file is removed and `name` is untouched.
    /// - Returns: the written file's modification time (`FetchManifest.mtimeText`).
    @discardableResult
    static func writeAtomically(_ data: Data, dir: String, name: String, dirFD: Int32) throws(Error) -> String {
        var temporary = "", fd: Int32 = -1
        for _ in 0..<8 {
            temporary = temporaryName(for: name)
            fd = openat(dirFD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw Error(description: "\(dir)/\(temporary): \(errnoText())") }
        var st = stat()
        do {
            try writeAll(fd, data)
            guard fsync(fd) == 0 else { throw Error(description: "fsync: \(errnoText())") }
            guard fstat(fd, &st) == 0 else { throw Error(description: "fstat: \(errnoText())") }
        } catch {
            close(fd)
            unlinkat(dirFD, temporary, 0)
            throw Error(description: "\(dir)/\(temporary): \(error)")
        }
        close(fd)
        guard renameat(dirFD, temporary, dirFD, name) == 0 else {
            let reason = errnoText()
            unlinkat(dirFD, temporary, 0)
            throw Error(description: "rename to \(dir)/\(name): \(reason)")
        }
        _ = fsync(dirFD)
        return FetchManifest.mtimeText(seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
    }
}

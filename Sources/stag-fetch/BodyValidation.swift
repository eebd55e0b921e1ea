import Foundation
import ServiceTags

/// The checks a downloaded body must pass before it may replace anything in the cache.
struct ValidatedBody {
    var changeNumber: Int?
    var tagCount: Int
    var size: Int
    var sha256: String

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
                             sha256: SHA256.hex(body))
    }

    /// Parses the body completely with the core reader, through an unlinked temporary file (the
    /// cache directory is not touched, and may not exist yet).
    private static func parse(_ body: Data, source: String) throws(AttemptFailure) -> ServiceTagsFile {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/stag-fetch-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            let fd = mkstemp(buffer.baseAddress!)
            if fd >= 0 { unlink(buffer.baseAddress!) }  // nothing is left behind, whatever happens next
            return fd
        }
        guard fd >= 0 else { throw AttemptFailure("cannot create a temporary file in \(dir): \(FileIO.errnoText())") }
        defer { close(fd) }
        do {
            try FileIO.writeAll(fd, body)
        } catch {
            throw AttemptFailure("cannot write a temporary file in \(dir): \(error)")
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw AttemptFailure("cannot rewind the temporary file") }
        do {
            return try ServiceTagsFile(fileDescriptor: fd, path: source)
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

    /// Writes `data` to `dir/name` atomically: a temporary file in `dir`, fsync, rename, fsync of
    /// the directory. On failure the temporary file is removed and `dir/name` is untouched.
    static func writeAtomically(_ data: Data, dir: String, name: String, dirFD: Int32) throws(Error) {
        let temporary = "\(dir)/.\(name).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Error(description: "\(temporary): \(errnoText())") }
        do {
            try writeAll(fd, data)
            guard fsync(fd) == 0 else { throw Error(description: "fsync \(temporary): \(errnoText())") }
        } catch {
            close(fd)
            unlink(temporary)
            throw Error(description: "\(temporary): \(error)")
        }
        close(fd)
        guard rename(temporary, "\(dir)/\(name)") == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw Error(description: "rename to \(dir)/\(name): \(reason)")
        }
        _ = fsync(dirFD)
    }
}

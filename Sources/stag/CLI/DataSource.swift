#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// Where the service tags come from (`cli.md`, "Choosing the data"): `--data PATH` or `-`, then
/// `$STAG_DATA`, then the newest file `stag fetch` stored in the cache directory. Never sample data.
enum DataSource {
    static let option = OptionSpec(name: "--data", kind: .value, valueName: "PATH",
                                   help: "ServiceTags JSON file, or - for standard input (default: $STAG_DATA, then the newest fetched file)")

    static func environment(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }

    /// `$STAG_CACHE_DIR`, else `$XDG_CACHE_HOME/stag`, else `~/.cache/stag`.
    static func cacheDirectory() -> String? { CacheDirectory.path() }

    /// The path to read, resolved per the rules above. In the cache, the manifest written by
    /// `stag fetch` is preferred to file names (see `CacheDirectory.defaultFile`).
    static func resolve(_ explicit: String?) throws(CLIError) -> String {
        if let explicit { return explicit }
        if let env = environment("STAG_DATA") { return env }
        if let dir = cacheDirectory(), let newest = CacheDirectory.defaultFile(in: dir) { return newest.path }
        throw CLIError("no service tags data: run 'stag fetch' to download the newest file, or pass --data FILE (or set STAG_DATA)")
    }

    /// Reads and validates the whole file (streamed: a pipe or a huge file is read in chunks).
    static func load(_ explicit: String?) throws(CLIError) -> ServiceTagsFile {
        let path = try resolve(explicit)
        do {
            if path == "-" { return try ServiceTagsFile(fileDescriptor: 0, path: "<stdin>") }
            return try ServiceTagsFile(readingFileAt: path)
        } catch {
            throw CLIError("\(error)")
        }
    }
}

extension DataSource {
    struct Digest { var size: Int; var sha256: String }

    /// Loads the data and hashes the input bytes (for `stag info`).
    static func loadHashing(_ path: String) throws(CLIError) -> (ServiceTagsFile, Digest) {
        if path == "-" {
            throw CLIError("info: reading standard input is not supported yet")
        }
        let file = try load(path)
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256()
        var size = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw CLIError("\(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            hasher.update(chunk[0..<n])
            size += n
        }
        return (file, Digest(size: size, sha256: hasher.finalizeHex()))
    }
}

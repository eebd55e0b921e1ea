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
    static func cacheDirectory() -> String? {
        if let dir = environment("STAG_CACHE_DIR") { return dir }
        if let xdg = environment("XDG_CACHE_HOME") { return xdg + "/stag" }
        if let home = environment("HOME") { return home + "/.cache/stag" }
        return nil
    }

    /// The path to read, resolved per the rules above.
    static func resolve(_ explicit: String?) throws(CLIError) -> String {
        if let explicit { return explicit }
        if let env = environment("STAG_DATA") { return env }
        if let dir = cacheDirectory(), let newest = CacheDirectory.newestFile(in: dir) { return newest }
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

/// The files `stag fetch` leaves in a cache directory.
enum CacheDirectory {
    /// The newest `ServiceTags_<Cloud>_YYYYMMDD.json` by the date in its name (then by name).
    static func newestFile(in dir: String, cloud: String? = nil) -> String? {
        guard let d = opendir(dir) else { return nil }
        defer { closedir(d) }
        var best: (date: String, name: String)?
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let date = fileDate(name), cloud.map({ name.hasPrefix("ServiceTags_\($0)_") }) ?? true else { continue }
            if best == nil || (date, name) > (best!.date, best!.name) { best = (date, name) }
        }
        return best.map { dir + "/" + $0.name }
    }

    /// "20251028" for "ServiceTags_Public_20251028.json".
    static func fileDate(_ name: String) -> String? {
        guard name.hasPrefix("ServiceTags_"), name.hasSuffix(".json") else { return nil }
        let stem = name.dropLast(5)
        guard let underscore = stem.lastIndex(of: "_") else { return nil }
        let date = stem[stem.index(after: underscore)...]
        return date.count == 8 && date.allSatisfy(\.isASCII) && date.allSatisfy(\.isNumber) ? String(date) : nil
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

#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// Where the service tags come from (`cli.md`, "Choosing the data"): `--data PATH` or `-`, then
/// `$STAG_DATA`, then the newest file `stag fetch` stored in the cache directory. Never sample data.
enum DataSource {
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
        if let explicit {
            // Else open("") fails with a message that names no file: "stag: : cannot open".
            if explicit.isEmpty { throw CLIError("empty data path: give a ServiceTags JSON file, or - for standard input") }
            return explicit
        }
        if let env = environment("STAG_DATA") { return env }
        if let dir = cacheDirectory(), let newest = CacheDirectory.defaultFile(in: dir) { return CacheDirectory.preferredPath(newest) }
        throw CLIError("no service tags data: run 'stag fetch' to download the newest file, or pass --data FILE (or set STAG_DATA)")
    }

    /// Reads and validates the whole file (streamed: a pipe or a huge file is read in chunks), or
    /// loads the compiled index it is (recognised by its header, not its name).
    /// - Complexity: for a compiled index, O(prefixes) to decode the tags' prefix lists.
    static func load(_ explicit: String?) throws(CLIError) -> ServiceTagsFile {
        let path = try resolve(explicit)
        if path != "-", let compiled = try loadCompiled(path) { return compiled.file }
        return try loadJSON(path)
    }

    /// The data and, when it came from a compiled index, the index itself: a lookup uses it as
    /// loaded instead of building one. Then `file` holds the tags' metadata only (empty prefix
    /// lists, `TagIndex.tagMetadata`): the index answers, and the prefix lists are never decoded.
    static func loadIndexed(_ explicit: String?) throws(CLIError) -> (file: ServiceTagsFile, index: TagIndex?) {
        let path = try resolve(explicit)
        if path != "-", let compiled = try loadCompiled(path) {
            let index = compiled.index
            return (ServiceTagsFile(changeNumber: index.changeNumber, cloud: index.cloud, tags: index.tagMetadata), index)
        }
        return (try loadJSON(path), nil)
    }

    /// Reads and validates the JSON file at `path` (`-`: standard input).
    private static func loadJSON(_ path: String) throws(CLIError) -> ServiceTagsFile {
        do {
            if path == "-" { return try ServiceTagsFile(fileDescriptor: 0, path: "<stdin>") }
            HeapTuning.prepare(forParsing: path)
            return try ServiceTagsFile(readingFileAt: path)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Every index loaded, held until the process exits: `exit` then skips freeing its tens of
    /// thousands of strings and arrays one by one, which took longer than loading them.
    nonisolated(unsafe) private static var loaded: [CompiledIndex] = []

    /// The compiled index at `path`, or nil when the file is not one (then it is read as JSON).
    static func loadCompiled(_ path: String) throws(CLIError) -> CompiledIndex? {
        guard CompiledIndex.isCompiledIndex(at: path) else {
            if CompiledHistory.isCompiledHistory(at: path) {
                throw CLIError("\(HumanText.escaped(path)) is a compiled history (stag compile --archive), not one file's data: read it with 'stag history --archive'")
            }
            return nil
        }
        do {
            let compiled = try CompiledIndex(contentsOf: path)
            loaded.append(compiled)
            return compiled
        } catch {
            throw CLIError("\(error)")
        }
    }
}

extension DataSource {
    /// The size and SHA-256 of the JSON input: hashed as it was read, or, for a compiled index, as
    /// the index recorded them for its source (`fromIndex` then holds the index's own size).
    struct Digest { var size: Int; var sha256: String; var fromIndex: Int? = nil }

    /// Loads the data and hashes the input bytes as the reader reads them (for `stag info`): one
    /// pass, so standard input works without being kept, and the hash is of exactly the bytes parsed.
    ///
    /// `overlapping` runs on the parsed file before the digest is awaited: the hash (on a thread of
    /// its own, and slower than the parse) then overlaps that work too (`stag compile` builds the
    /// index there).
    static func loadHashing(_ path: String, overlapping work: (ServiceTagsFile) -> Void = { _ in }) throws(CLIError) -> (ServiceTagsFile, Digest) {
        if path != "-", let compiled = try loadCompiled(path) {
            work(compiled.file)
            return (compiled.file, Digest(size: compiled.source.size, sha256: compiled.source.sha256Hex, fromIndex: compiled.byteCount))
        }
        HeapTuning.prepare(forParsing: path)
        let hasher = BackgroundHasher()
        let observe: (UnsafeBufferPointer<UInt8>) -> Void = { chunk in hasher.update(chunk) }
        let file: ServiceTagsFile
        do {
            if path == "-" {
                file = try ServiceTagsFile(fileDescriptor: 0, path: "<stdin>", observingBytes: observe)
            } else {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw ServiceTagsError(.openFailed(errno: errno), file: path, location: nil) }
                defer { close(fd) }
                file = try ServiceTagsFile(fileDescriptor: fd, path: path, observingBytes: observe)
            }
        } catch {
            _ = hasher.finalizeHex()  // lets its thread end
            throw CLIError("\(error)")
        }
        work(file)
        return (file, Digest(size: hasher.size, sha256: hasher.finalizeHex()))
    }
}

#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// The files `stag fetch` leaves in a cache directory, as data selection and `diff --previous`
/// see them.
///
/// The manifest (`manifest.json`, written by `stag-fetch`) is the record of what was stored and
/// verified; a file is used from it only if it exists with the recorded size (hashing every
/// file on each lookup would cost more than the lookup). For a cloud the manifest lists nothing
/// usable for, files are chosen by name (`ServiceTags_<Cloud>_YYYYMMDD.json`), as before manifests
/// existed or for files put there by hand.
enum CacheDirectory {
    /// `$STAG_CACHE_DIR`, else `$XDG_CACHE_HOME/stag`, else `~/.cache/stag`.
    static func path() -> String? {
        if let dir = DataSource.environment("STAG_CACHE_DIR") { return dir }
        if let xdg = DataSource.environment("XDG_CACHE_HOME") { return xdg + "/stag" }
        if let home = DataSource.environment("HOME") { return home + "/.cache/stag" }
        return nil
    }

    /// One stored version.
    struct StoredFile: Equatable {
        var path: String
        var name: ServiceTagsFileName
        /// Its manifest entry, nil when chosen by name.
        var entry: FetchManifest.Entry?
    }

    /// The usable stored versions of `cloud` (all clouds when nil), sorted by cloud then date,
    /// oldest first.
    static func storedFiles(in dir: String, cloud: ServiceTagsCloud? = nil) -> [StoredFile] {
        let manifest = readManifest(in: dir, warn: true)
        let onDisk = namedFiles(in: dir)
        var result: [StoredFile] = []
        for c in ServiceTagsCloud.allCases where cloud == nil || cloud == c {
            let recorded = (manifest?.entries(for: c) ?? []).compactMap { e -> StoredFile? in
                let path = dir + "/" + e.file
                guard let size = fileSize(path) else {
                    warnOnce("\(path) is listed in \(FetchManifest.fileName) but missing; ignoring it")
                    return nil
                }
                guard size == e.size else {
                    warnOnce("\(path) has \(size) bytes, \(FetchManifest.fileName) says \(e.size); ignoring it (run 'stag fetch --force')")
                    return nil
                }
                return StoredFile(path: path, name: e.name, entry: e)
            }
            result += !recorded.isEmpty ? recorded
                : onDisk.filter { $0.cloud == c }.map { StoredFile(path: dir + "/" + $0.description, name: $0, entry: nil) }
        }
        return result
    }

    /// The file commands read by default: the newest Public file if any is stored, else the newest
    /// file of whichever cloud has the latest date (the cache of a Government-only user).
    /// Warns (once) when the chosen file's mtime differs from the manifest's record (size
    /// differences already exclude an entry in `storedFiles`); `fetch --verify` re-hashes.
    static func defaultFile(in dir: String) -> StoredFile? {
        let all = storedFiles(in: dir)
        let chosen = all.last(where: { $0.name.cloud == .public })
            ?? all.max { ($0.name.date, $1.name.cloud) < ($1.name.date, $0.name.cloud) }
        if let chosen { checkUnchanged(chosen) }
        return chosen
    }

    /// The compiled index `stag fetch` wrote beside `file` (`ServiceTags_Public_20251028.stagidx`)
    /// when it is there and records the SHA-256 the manifest has for the JSON file, else the JSON
    /// file's path. Only the index's header is read here; loading validates the rest.
    static func preferredPath(_ file: StoredFile) -> String {
        guard let entry = file.entry, file.path.hasSuffix(".json") else { return file.path }
        let index = String(file.path.dropLast(".json".count)) + ".stagidx"
        guard let recorded = CompiledIndex.recordedSource(at: index), recorded.sha256Hex == entry.sha256,
              recorded.size == entry.size else { return file.path }
        return index
    }

    /// The newest stored file of `cloud` (a file stem such as "Public", or any cloud when nil).
    static func newestFile(in dir: String, cloud: String? = nil) -> String? {
        guard let cloud else { return defaultFile(in: dir)?.path }
        guard let c = ServiceTagsCloud(fileStem: cloud) else { return nil }
        let newest = storedFiles(in: dir, cloud: c).last
        if let newest { checkUnchanged(newest) }
        return newest?.path
    }

    /// A stored file touched since `stag fetch` wrote it may have been edited in place: say so,
    /// and use it anyway (only hashing, `fetch --verify`, can tell).
    static func checkUnchanged(_ file: StoredFile) {
        guard let entry = file.entry else { return }
        var st = stat()
        guard stat(file.path, &st) == 0 else { return }
        if Int(st.st_size) != entry.size {
            warnOnce("\(file.path) has \(st.st_size) bytes, \(FetchManifest.fileName) says \(entry.size); run 'stag fetch --verify'")
        }
        let mtime = FetchManifest.mtimeText(seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
        if let recorded = entry.mtime, recorded != mtime {
            warnOnce("\(file.path) was modified after 'stag fetch' stored it (mtime \(mtime), \(FetchManifest.fileName) says \(recorded)); run 'stag fetch --verify'")
        }
    }

    /// The two newest stored versions of `cloud` (the default cloud of `defaultFile` when nil),
    /// for `stag diff --previous`.
    /// - Throws: `CLIError` (exit 2) when there is no cache directory or fewer than two versions.
    static func previousPair(cloud: ServiceTagsCloud? = nil, in dir: String? = nil) throws(CLIError) -> (old: String, new: String) {
        guard let dir = dir ?? path() else {
            throw CLIError("no cache directory: set STAG_CACHE_DIR (or HOME), or pass OLD and NEW files")
        }
        guard let c = cloud ?? defaultFile(in: dir)?.name.cloud else {
            throw CLIError("--previous: nothing is stored in \(dir); run 'stag fetch' (twice, a week apart), or pass OLD and NEW files")
        }
        let files = storedFiles(in: dir, cloud: c)
        guard files.count >= 2 else {
            let held = files.isEmpty ? "none" : files.map(\.name.description).joined(separator: ", ")
            throw CLIError("--previous needs two stored \(c.fileStem) files in \(dir), found \(files.count) (\(held)); run 'stag fetch --cloud \(c.optionName)' after the next weekly release, or pass OLD and NEW files")
        }
        return (files[files.count - 2].path, files[files.count - 1].path)
    }

    /// "20251028" for "ServiceTags_Public_20251028.json".
    static func fileDate(_ name: String) -> String? { ServiceTagsFileName(name)?.date }

    static func parseCloud(_ value: String?, command: String) throws(CLIError) -> ServiceTagsCloud? {
        guard let value else { return nil }
        guard let cloud = ServiceTagsCloud(optionName: value) else {
            let hint = NearNames.suggestions(for: value, in: ServiceTagsCloud.allCases.map(\.optionName), limit: 1).first
            throw CLIError.usage(command, "unknown cloud '\(value)': use public, usgov or china\(hint.map { " (did you mean '\($0)'?)" } ?? "")")
        }
        return cloud
    }
}

extension CacheDirectory {
    /// The manifest, or nil when there is none or it cannot be read (then, if `warn`, says why).
    static func readManifest(in dir: String, warn shouldWarn: Bool) -> FetchManifest? {
        let path = dir + "/" + FetchManifest.fileName
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno != ENOENT, shouldWarn { warnOnce("\(path): \(String(cString: strerror(errno))); choosing files by name") }
            return nil
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if shouldWarn { warnOnce("\(path): \(String(cString: strerror(errno))); choosing files by name") }
                return nil
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 22 {
                if shouldWarn { warnOnce("\(path) is larger than 4 MiB; ignoring it and choosing files by name") }
                return nil
            }
        }
        do {
            return try FetchManifest(parsing: bytes)
        } catch {
            if shouldWarn { warnOnce("\(path): \(error); choosing files by name") }
            return nil
        }
    }

    /// Weekly files in `dir` by name, any cloud, sorted.
    static func namedFiles(in dir: String) -> [ServiceTagsFileName] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [ServiceTagsFileName] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let parsed = ServiceTagsFileName(name), fileSize(dir + "/" + name) != nil { names.append(parsed) }
        }
        return names.sorted()
    }

    /// The size of a regular file, nil if it is missing or not a regular file.
    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    nonisolated(unsafe) private static var warned = Set<String>()

    /// Each distinct warning once per process (data selection may run more than once).
    private static func warnOnce(_ message: String) {
        guard warned.insert(message).inserted else { return }
        warn(message)
    }
}

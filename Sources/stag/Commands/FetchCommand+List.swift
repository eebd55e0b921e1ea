#if canImport(Glibc)
import Glibc
#endif
import ServiceTags
import StagOptions

/// `stag fetch --list | --verify`: what the cache holds, checked against the manifest.
extension FetchCommand {
    struct Listed {
        var path: String
        var name: ServiceTagsFileName
        var entry: FetchManifest.Entry?
        var size: Int?
        var sha256: String?
        /// ok, missing, modified (size or hash differs from the manifest), unrecorded (no entry).
        var status: String
    }

    static func list(_ options: Options) throws(CLIError) -> Int32 {
        let cloud = options.cloud, verify = options.verify
        guard let dir = options.directory ?? CacheDirectory.path() else {
            throw CLIError("fetch: no cache directory: pass --dir DIR or set STAG_CACHE_DIR (or HOME)")
        }
        let listed = inventory(dir: dir, cloud: cloud, verify: verify)
        let defaultPath = CacheDirectory.defaultFile(in: dir)?.path
        let out = Output.standardOutput
        if options.json {
            let files = listed.map { l in
                JSONText.object([
                    ("file", JSONText.string(l.path)), ("cloud", JSONText.string(l.name.cloud.cloudField)),
                    ("date", JSONText.string(l.name.date)), ("changeNumber", JSONText.number(l.entry?.changeNumber)),
                    ("size", JSONText.number(l.size)), ("sha256", l.sha256.map(JSONText.string) ?? "null"),
                    ("url", l.entry.map { JSONText.string($0.url) } ?? "null"),
                    ("fetchedAt", l.entry.map { JSONText.string($0.fetchedAt) } ?? "null"),
                    ("status", JSONText.string(l.status)),
                ])
            }
            out.line(JSONText.object([
                ("directory", JSONText.string(dir)), ("default", defaultPath.map(JSONText.string) ?? "null"),
                ("files", JSONText.array(files)),
            ]))
        } else if listed.isEmpty {
            warn("nothing is stored in \(dir)\(cloud.map { " for \($0.optionName)" } ?? ""); run 'stag fetch'")
        } else {
            var rows = [["cloud", "date", "changeNumber", "size", "status", "file"]]
            for l in listed {
                rows.append([l.name.cloud.cloudField, l.name.date, l.entry?.changeNumber.map(String.init) ?? "-",
                             l.size.map(String.init) ?? "-", l.status, l.path + (l.path == defaultPath ? "  (default)" : "")])
            }
            for line in TextTable.align(rows) { out.line(line) }
        }
        out.flush()
        let bad = listed.filter { $0.status == "missing" || $0.status == "modified" }
        if verify, !bad.isEmpty {
            throw CLIError("fetch: --verify: \(bad.count) stored file(s) do not match \(FetchManifest.fileName): "
                + bad.map { "\($0.name) (\($0.status))" }.joined(separator: ", ") + "; run 'stag fetch --force' to download again")
        }
        return ExitCode.success
    }

    /// Manifest entries (with their state on disk), then weekly files the manifest does not list.
    static func inventory(dir: String, cloud: ServiceTagsCloud?, verify: Bool) -> [Listed] {
        let manifest = CacheDirectory.readManifest(in: dir, warn: true)
        var listed: [Listed] = []
        var recorded = Set<ServiceTagsFileName>()
        for e in manifest?.entries ?? [] where cloud == nil || e.cloud == cloud {
            recorded.insert(e.name)
            let path = dir + "/" + e.file
            guard let size = CacheDirectory.fileSize(path) else {
                listed.append(Listed(path: path, name: e.name, entry: e, size: nil, sha256: e.sha256, status: "missing"))
                continue
            }
            var status = size == e.size ? "ok" : "modified"
            if verify, status == "ok", let digest = sha256(of: path) {
                if digest != e.sha256 { status = "modified" }
            } else if verify, status == "ok" {
                status = "missing"  // exists but unreadable
            }
            listed.append(Listed(path: path, name: e.name, entry: e, size: size, sha256: e.sha256, status: status))
        }
        for name in CacheDirectory.namedFiles(in: dir) where !recorded.contains(name) && (cloud == nil || name.cloud == cloud) {
            let path = dir + "/" + name.description
            listed.append(Listed(path: path, name: name, entry: nil, size: CacheDirectory.fileSize(path),
                                 sha256: verify ? sha256(of: path) : nil, status: "unrecorded"))
        }
        return listed.sorted { $0.name < $1.name }
    }

    /// The file's SHA-256 in lower-case hex, nil if it cannot be read.
    static func sha256(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return hasher.finalizeHex() }
            hasher.update(chunk[0..<n])
        }
    }
}

/// Reading and writing `manifest.json`:
///
///     {
///       "manifestVersion": 1,
///       "files": [
///         {
///           "file": "ServiceTags_Public_20251028.json",
///           "cloud": "Public",
///           "date": "20251028",
///           "changeNumber": 375,
///           "size": 4123456,
///           "sha256": "<64 hex digits>",
///           "url": "https://download.microsoft.com/.../ServiceTags_Public_20251028.json",
///           "fetchedAt": "2025-10-29T03:00:00Z",
///           "etag": "\"0x8DE...\"",
///           "lastModified": "Mon, 27 Oct 2025 23:10:00 GMT"
///         }
///       ]
///     }
///
/// `cloud` is the file's own `cloud` value. `changeNumber`, `etag` and `lastModified` may be null
/// or absent; so may `mtime` (`"1761706800.123456789"`, the stored file's modification time). Unknown keys are ignored (a later version may add some); a higher `manifestVersion`
/// is refused.
extension FetchManifest {
    /// Why a manifest could not be read.
    public struct ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Parses the manifest's bytes strictly.
    /// - Throws: `ReadError` naming the JSON error (`line:column (byte offset): message`, as the
    ///   scanner reports it for every JSON the tool reads) or the first bad entry.
    /// - Complexity: O(size of the manifest).
    public init(parsing bytes: some Collection<UInt8>) throws(ReadError) {
        let root: JSONValue
        do { root = try JSONValue(parsing: bytes, maxDepth: 8) } catch { throw ReadError("\(error)") }
        guard root.objectValue != nil else { throw ReadError("the manifest is not a JSON object") }
        guard let version = root["manifestVersion"]?.intValue else { throw ReadError("missing or invalid \"manifestVersion\"") }
        guard version <= Self.currentVersion, version >= 1 else {
            throw ReadError("manifest version \(version) is not supported (this stag reads version \(Self.currentVersion))")
        }
        guard let files = root["files"]?.arrayValue else { throw ReadError("missing or invalid \"files\" array") }
        var entries: [Entry] = []
        var seen = Set<ServiceTagsFileName>()
        for (i, item) in files.enumerated() {
            let entry = try Self.entry(item, index: i)
            guard seen.insert(entry.name).inserted else { throw ReadError("files[\(i)]: \(entry.file) is listed twice") }
            entries.append(entry)
        }
        self.init(entries: entries)
    }

    private static func entry(_ item: JSONValue, index i: Int) throws(ReadError) -> Entry {
        func fail(_ what: String) -> ReadError { ReadError("files[\(i)]: \(what)") }
        guard item.objectValue != nil else { throw fail("not an object") }
        func string(_ key: String) throws(ReadError) -> String {
            guard let s = item[key]?.stringValue else { throw fail("missing or invalid \"\(key)\"") }
            return s
        }
        func optionalString(_ key: String) throws(ReadError) -> String? {
            guard let v = item[key], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw fail("\"\(key)\" is not a string") }
            return s
        }
        let file = try string("file")
        guard let name = ServiceTagsFileName(file) else { throw fail("\"\(file)\" is not a ServiceTags_<Cloud>_YYYYMMDD.json name") }
        guard try string("cloud") == name.cloud.cloudField, try string("date") == name.date else {
            throw fail("\"cloud\" or \"date\" disagrees with the file name \(file)")
        }
        var changeNumber: Int?
        if let v = item["changeNumber"], !v.isNull {
            guard let n = v.intValue else { throw fail("\"changeNumber\" is not an integer") }
            changeNumber = n
        }
        guard let size = item["size"]?.intValue, size >= 0 else { throw fail("missing or invalid \"size\"") }
        let sha = try string("sha256")
        guard sha.utf8.count == 64, sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw fail("\"sha256\" is not 64 lower-case hex digits")
        }
        return Entry(name: name, changeNumber: changeNumber, size: size, sha256: sha, url: try string("url"),
                     fetchedAt: try string("fetchedAt"), etag: try optionalString("etag"),
                     lastModified: try optionalString("lastModified"), mtime: try optionalString("mtime"))
    }

    /// The manifest as a JSON value, entries in `entries` order.
    public var jsonValue: JSONValue {
        .object([
            .init("manifestVersion", JSONValue(integer: Self.currentVersion)),
            .init("files", .array(entries.map { e in
                var members: [JSONValue.Member] = [
                    .init("file", .string(e.file)),
                    .init("cloud", .string(e.cloud.cloudField)),
                    .init("date", .string(e.date)),
                    .init("changeNumber", e.changeNumber.map(JSONValue.init(integer:)) ?? .null),
                    .init("size", JSONValue(integer: e.size)),
                    .init("sha256", .string(e.sha256)),
                    .init("url", .string(e.url)),
                    .init("fetchedAt", .string(e.fetchedAt)),
                ]
                if let etag = e.etag { members.append(.init("etag", .string(etag))) }
                if let lastModified = e.lastModified { members.append(.init("lastModified", .string(lastModified))) }
                if let mtime = e.mtime { members.append(.init("mtime", .string(mtime))) }
                return .object(members)
            })),
        ])
    }

    /// The manifest file's text: pretty-printed, ending in a newline.
    public func serialized() -> String { jsonValue.serialized(indent: 2) + "\n" }
}

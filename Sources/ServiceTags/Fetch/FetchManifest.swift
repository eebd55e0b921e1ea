/// The record `stag fetch` keeps beside the files it stored (`manifest.json`): for each stored
/// version, where it came from and what it must hash to, so that data selection, `diff --previous`
/// and `fetch --list --verify` can trust a file without re-parsing it.
///
/// Invariants: at most one entry per file name; each entry's `file` is a valid
/// `ServiceTagsFileName` (so it has no `/`), and its `cloud` and `date` agree with that name.
public struct FetchManifest: Equatable, Sendable {
    /// The schema version written; readers refuse newer ones rather than misread them.
    public static let currentVersion = 1
    /// The manifest's file name inside the cache directory.
    public static let fileName = "manifest.json"

    public struct Entry: Equatable, Sendable {
        public var name: ServiceTagsFileName
        /// The file's top-level `changeNumber`, when it has one.
        public var changeNumber: Int?
        public var size: Int
        /// SHA-256 of the stored bytes, 64 lower-case hex digits.
        public var sha256: String
        /// Where the bytes were downloaded from.
        public var url: String
        /// When, as ISO 8601 UTC (`2025-10-29T03:00:00Z`).
        public var fetchedAt: String
        /// HTTP validators the server sent with the file, for conditional requests.
        public var etag: String?
        public var lastModified: String?
        /// The stored file's modification time when it was written (`FetchManifest.mtimeText`),
        /// so that data selection notices a file changed since without hashing it. Nil in
        /// manifests written before it was recorded.
        public var mtime: String?

        public init(name: ServiceTagsFileName, changeNumber: Int?, size: Int, sha256: String, url: String,
                    fetchedAt: String, etag: String? = nil, lastModified: String? = nil, mtime: String? = nil) {
            self.name = name
            self.changeNumber = changeNumber
            self.size = size
            self.sha256 = sha256
            self.url = url
            self.fetchedAt = fetchedAt
            self.etag = etag
            self.lastModified = lastModified
            self.mtime = mtime
        }

        public var file: String { name.description }
        public var cloud: ServiceTagsCloud { name.cloud }
        public var date: String { name.date }
    }

    /// A modification time as recorded in `Entry.mtime`: Unix seconds and nine digits of
    /// nanoseconds, `"1761706800.123456789"` (exact, so equality means the same `st_mtim`).
    public static func mtimeText(seconds: Int, nanoseconds: Int) -> String {
        let ns = String(nanoseconds)
        return "\(seconds)." + String(repeating: "0", count: max(0, 9 - ns.utf8.count)) + ns
    }

    /// Sorted by cloud, then date (oldest first).
    public private(set) var entries: [Entry]

    public init(entries: [Entry] = []) {
        var byName: [ServiceTagsFileName: Entry] = [:]
        for e in entries { byName[e.name] = e }  // the last one for a name wins
        self.entries = byName.values.sorted { $0.name < $1.name }
    }

    /// The entries of one cloud, oldest first.
    public func entries(for cloud: ServiceTagsCloud) -> [Entry] { entries.filter { $0.cloud == cloud } }

    public func entry(named name: ServiceTagsFileName) -> Entry? { entries.first { $0.name == name } }

    /// Adds `entry`, replacing any entry for the same file.
    public mutating func record(_ entry: Entry) {
        self = FetchManifest(entries: entries.filter { $0.name != entry.name } + [entry])
    }

    /// Keeps the newest `keep` entries of each cloud, plus `pinned` whatever its date; returns the
    /// entries removed (whose files the caller deletes).
    /// - Precondition: `keep >= 1`.
    public mutating func prune(keep: Int, pinned: ServiceTagsFileName? = nil) -> [Entry] {
        precondition(keep >= 1)
        var kept: [Entry] = [], removed: [Entry] = []
        for cloud in ServiceTagsCloud.allCases {
            let newestFirst = entries(for: cloud).reversed()
            for (rank, e) in newestFirst.enumerated() {
                if rank < keep || e.name == pinned { kept.append(e) } else { removed.append(e) }
            }
        }
        self = FetchManifest(entries: kept)
        return removed
    }

    /// Removes the entries for which `isGone` is true (their files disappeared).
    public mutating func removeAll(where isGone: (Entry) -> Bool) {
        entries.removeAll(where: isGone)
    }
}

/// The weekly files of one cloud, ordered by the date in their names: the archive `stag history`
/// reads (`cli.md`, "stag history").
///
/// Invariants: `entries` is non-empty, every entry has the same `cloud`, and dates strictly
/// increase (no two files of one date), so a file's position is its week's identity and "the
/// file before" is the previous entry. Only names are checked here; the library reads no
/// directories (the CLI lists them) and `checkCloud` compares a parsed file's own `cloud` value.
public struct HistoryArchive: Sendable {
    public struct Entry: Hashable, Sendable {
        /// The cloud and date the file's name gives (`ServiceTagsFileName`'s canonical form).
        public let name: ServiceTagsFileName
        /// The file's own name in the directory (the canonical one, or one with a suffix such as
        /// `ServiceTags_Public_20240415 (1).json`).
        public let fileName: String
        /// Where to read it: the directory joined to the file name.
        public let path: String
        /// `YYYY-MM-DD`, the form of the JSON output.
        public var date: String { Self.isoDate(name.date) }

        static func isoDate(_ d: String) -> String {
            let u = Array(d.utf8)
            return String(decoding: u[0..<4] + [0x2D] + u[4..<6] + [0x2D] + u[6..<8], as: UTF8.self)
        }
    }

    public let cloud: ServiceTagsCloud
    public let entries: [Entry]

    /// The archive of the files called `fileNames` in `directory` (names only, no `/`).
    ///
    /// A name is `ServiceTags_<Cloud>_YYYYMMDD.json`, optionally with text between the date and
    /// `.json`: a browser saving a week twice writes `ServiceTags_Public_20240415 (1).json`, and
    /// such a second copy must be reported as a duplicate week rather than ignored.
    /// With `cloud`, files of other clouds are left out (a cache holds every cloud); without it,
    /// they must all be one cloud.
    /// - Throws: `HistoryArchiveError` naming the offending files: a name without a cloud and date
    ///   (`ServiceTags_<Cloud>_YYYYMMDD.json`), mixed clouds, two files of one date, or none left.
    /// - Complexity: O(n log n) in the number of names.
    public init(fileNames: [String], directory: String, cloud: ServiceTagsCloud? = nil) throws(HistoryArchiveError) {
        var parsed: [(name: ServiceTagsFileName, file: String)] = []
        var undated: [String] = []
        for n in fileNames {
            if let p = Self.weekName(n) { parsed.append((p, n)) } else { undated.append(n) }
        }
        if !undated.isEmpty { throw .undated(directory: directory, files: undated.sorted()) }
        if let cloud { parsed.removeAll { $0.name.cloud != cloud } }
        let clouds = Set(parsed.map(\.name.cloud))
        if clouds.count > 1 {
            let byCloud = clouds.sorted().map { c in (c, parsed.filter { $0.name.cloud == c }.map(\.file).sorted()) }
            throw .mixedClouds(directory: directory, files: byCloud)
        }
        guard let only = clouds.first else { throw .noFiles(directory: directory, cloud: cloud) }
        parsed.sort { ($0.name.date, $0.file) < ($1.name.date, $1.file) }
        var duplicates: [[String]] = []
        var i = 0
        while i < parsed.count {
            var j = i + 1
            while j < parsed.count && parsed[j].name.date == parsed[i].name.date { j += 1 }
            if j - i > 1 { duplicates.append(parsed[i..<j].map(\.file)) }
            i = j
        }
        if !duplicates.isEmpty { throw .duplicateDates(directory: directory, files: duplicates) }
        self.cloud = only
        let prefix = directory.isEmpty ? "" : directory.hasSuffix("/") ? directory : directory + "/"
        entries = parsed.map { Entry(name: $0.name, fileName: $0.file, path: prefix + $0.file) }
    }

    /// The cloud and date of `ServiceTags_<Cloud>_YYYYMMDD[anything].json`, or nil.
    /// - Complexity: O(length of the name).
    public static func weekName(_ name: String) -> ServiceTagsFileName? {
        let head = "ServiceTags_", tail = ".json"
        guard name.hasPrefix(head), name.hasSuffix(tail), !name.contains("/") else { return nil }
        let rest = Array(name.utf8.dropFirst(head.utf8.count).dropLast(tail.utf8.count))
        for cloud in ServiceTagsCloud.allCases {
            let stem = Array((cloud.fileStem + "_").utf8)
            guard rest.starts(with: stem) else { continue }
            let date = rest.dropFirst(stem.count).prefix(8)
            return ServiceTagsFileName(cloud: cloud, date: String(decoding: date, as: UTF8.self))
        }
        return nil
    }

    /// Checks that a file read from `entry` says it is of the archive's cloud.
    /// - Throws: `HistoryArchiveError.cloudMismatch`.
    public func checkCloud(_ file: ServiceTagsFile, of entry: Entry) throws(HistoryArchiveError) {
        if file.cloud != cloud.cloudField {
            throw .cloudMismatch(file: entry.path, found: file.cloud, expected: cloud.cloudField)
        }
    }

    /// The first and last dates (`YYYY-MM-DD`).
    public var from: String { entries[0].date }
    public var to: String { entries[entries.count - 1].date }
}

/// Why a set of files is not an archive; each case names the files to fix.
public enum HistoryArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    case noFiles(directory: String, cloud: ServiceTagsCloud?)
    case undated(directory: String, files: [String])
    case mixedClouds(directory: String, files: [(ServiceTagsCloud, [String])])
    case duplicateDates(directory: String, files: [[String]])
    case cloudMismatch(file: String, found: String, expected: String)

    public var description: String {
        switch self {
        case .noFiles(let dir, let cloud):
            return "no weekly files\(cloud.map { " of cloud \($0.optionName)" } ?? "") (ServiceTags_<Cloud>_YYYYMMDD.json) in \(HumanText.escaped(dir))"
        case .undated(let dir, let files):
            return "files without a cloud and date in their name (ServiceTags_<Cloud>_YYYYMMDD.json) in \(HumanText.escaped(dir)): "
                + Self.list(files)
        case .mixedClouds(let dir, let groups):
            return "files of more than one cloud in \(HumanText.escaped(dir)) (choose one with --cloud): "
                + groups.map { "\($0.0.optionName): \(Self.list($0.1))" }.joined(separator: "; ")
        case .duplicateDates(let dir, let groups):
            return "more than one file of the same date in \(HumanText.escaped(dir)): " + groups.map(Self.list).joined(separator: "; ")
        case .cloudMismatch(let file, let found, let expected):
            return "\(HumanText.escaped(file)) says cloud '\(HumanText.escaped(found))', its name says '\(expected)'"
        }
    }

    private static func list(_ files: [String]) -> String { files.map(HumanText.escaped).joined(separator: ", ") }

    public static func == (a: Self, b: Self) -> Bool { a.description == b.description }
}

/// A weekly file's name, `ServiceTags_<Stem>_YYYYMMDD.json`: its cloud and publication date.
///
/// Invariant: `date` is 8 ASCII digits forming a plausible calendar date (year 2000-2999, month
/// 01-12, day 01-31), so string order is date order. The name never contains a `/`, so it is safe
/// to join to a directory.
public struct ServiceTagsFileName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let cloud: ServiceTagsCloud
    /// `YYYYMMDD`.
    public let date: String

    public init?(cloud: ServiceTagsCloud, date: String) {
        guard Self.isPlausibleDate(date.utf8) else { return nil }
        self.cloud = cloud
        self.date = date
    }

    /// Parses a whole name (exact: no directory, no other suffix).
    public init?(_ name: some StringProtocol) {
        let s = String(name)
        let prefix = "ServiceTags_", suffix = ".json"
        guard s.hasPrefix(prefix), s.hasSuffix(suffix), s.utf8.count > prefix.utf8.count + suffix.utf8.count + 9 else { return nil }
        let stem = s.dropFirst(prefix.count).dropLast(suffix.count)  // "<Stem>_YYYYMMDD"
        guard let underscore = stem.lastIndex(of: "_"),
              let cloud = ServiceTagsCloud(fileStem: stem[..<underscore]) else { return nil }
        self.init(cloud: cloud, date: String(stem[stem.index(after: underscore)...]))
    }

    public var description: String { "ServiceTags_\(cloud.fileStem)_\(date).json" }

    /// The compiled index `stag fetch` writes beside the file: `ServiceTags_Public_20251028.stagidx`.
    public var compiledIndexName: String { "ServiceTags_\(cloud.fileStem)_\(date).stagidx" }

    /// Whether both paths end in weekly file names (`ServiceTags_<Stem>_YYYYMMDD.json`) and NEW's
    /// date is earlier than OLD's. Directories are ignored; `nil`, `-` or any other name gives `false`.
    /// - Complexity: O(length of the paths).
    public static func datesReversed(old: String?, new: String?) -> Bool {
        func parsed(_ path: String?) -> ServiceTagsFileName? {
            guard let path else { return nil }
            return ServiceTagsFileName(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        }
        guard let o = parsed(old), let n = parsed(new) else { return false }
        return n.date < o.date
    }

    /// By cloud, then date.
    public static func < (a: Self, b: Self) -> Bool { (a.cloud, a.date) < (b.cloud, b.date) }

    static func isPlausibleDate(_ d: some Collection<UInt8>) -> Bool {
        let digits = Array(d)
        guard digits.count == 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        let value = { (r: Range<Int>) in digits[r].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let year = value(0..<4), month = value(4..<6), day = value(6..<8)
        return (2000...2999).contains(year) && (1...12).contains(month) && (1...31).contains(day)
    }
}

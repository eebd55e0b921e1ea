/// Slow, obviously-correct answers for `stag history`, the oracle for `AddressHistoryBuilder` and
/// `TagHistoryBuilder`: per file, every query's tags and prefixes by a scan (or, for real files,
/// `ReferenceTagTable.hashProbe`), then run-length grouping per tag name over the files in order;
/// per tag, `Set` differences between consecutive files.
public enum ReferenceHistory {
    /// One run of a tag containing a query: positions of the first and last file, and the prefix.
    public struct Run: Hashable, CustomStringConvertible {
        public var first: Int
        public var last: Int
        public var prefix: IPPrefix
        public init(first: Int, last: Int, prefix: IPPrefix) { self.first = first; self.last = last; self.prefix = prefix }
        public var description: String { "\(first)-\(last) \(prefix)" }
    }

    /// One query's history: tag name to its runs in file order.
    public typealias History = [String: [Run]]

    /// `answers[file][query]`: tag name to its most specific prefix containing the query.
    public static func histories(_ answers: [[[String: IPPrefix]]], queries: Int) -> [History] {
        (0..<queries).map { q in
            var names = Set<String>()
            for file in answers { names.formUnion(file[q].keys) }
            var h: History = [:]
            for name in names {
                var runs: [Run] = []
                for (f, file) in answers.enumerated() {
                    guard let p = file[q][name] else { continue }
                    if let last = runs.last, last.last == f - 1, last.prefix == p {
                        runs[runs.count - 1].last = f
                    } else {
                        runs.append(Run(first: f, last: f, prefix: p))
                    }
                }
                h[name] = runs
            }
            return h
        }
    }

    /// A file's answers for each query by a linear scan of every prefix of every tag whose name
    /// `select` accepts. Queries are prefixes (an address is its /32 or /128), unmapped.
    public static func linearAnswers(_ file: ServiceTagsFile, _ queries: [IPPrefix],
                                     select: (String) -> Bool = { _ in true }) -> [[String: IPPrefix]] {
        queries.map { q in
            var found: [String: IPPrefix] = [:]
            for a in ReferenceTagTable.linear(file.tags, containing: q) where select(file.tags[a.tag].name) {
                found[file.tags[a.tag].name] = a.prefix
            }
            return found
        }
    }

    /// The same answers for addresses through `ReferenceTagTable.hashProbe` (fast enough for real files).
    public static func probedAnswers(_ file: ServiceTagsFile, _ addresses: [IPAddress]) -> [[String: IPPrefix]] {
        let table = ReferenceTagTable(file.tags)
        return addresses.map { a in
            var found: [String: IPPrefix] = [:]
            for answer in table.hashProbe(a.unmapped) { found[file.tags[answer.tag].name] = answer.prefix }
            return found
        }
    }

    /// The tag's weeks: a file without it is the tag with no prefixes; the first file has no changes.
    public static func weeks(of name: String, in files: [ServiceTagsFile]) -> [TagHistory.Week] {
        var previous = Set<IPPrefix>()
        return files.enumerated().map { f, file in
            let tag = file.tags.first { $0.name == name }
            let now = Set((tag?.ipv4 ?? []).map(IPPrefix.v4) + (tag?.ipv6 ?? []).map(IPPrefix.v6))
            defer { previous = now }
            return TagHistory.Week(present: tag != nil, changeNumber: tag?.changeNumber,
                        ipv4: now.filter(\.isIPv4).count, ipv6: now.filter { !$0.isIPv4 }.count,
                        added: f == 0 ? [] : now.subtracting(previous).sorted(),
                        removed: f == 0 ? [] : previous.subtracting(now).sorted())
        }
    }
}

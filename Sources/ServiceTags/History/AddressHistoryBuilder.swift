/// Builds `AddressHistory` for many queries from per-file answers, file by file, oldest first.
///
/// Three ways to add a file, with the same answers (`HistoryTests`): a sweep of the parsed file's
/// prefixes against the queries sorted once (`add(_ file:)`, what the CLI uses: no index to
/// build), a probe per query of the file's `TagIndex` (`add(_ index:)`, for an index already
/// loaded), or answers found elsewhere (`add(answers:)`, e.g. a compiled history). Each file is
/// seen once; nothing is rebuilt per query, and a query's state is its runs so far. Tag names are
/// numbered once per tag and file (not per query), so runs compare integers.
///
/// Invariant: `runs[q]` holds query `q`'s intervals as (tag number, prefix, first, last); a run is
/// open, i.e. can still grow, exactly when `last == files - 1`.
public struct AddressHistoryBuilder: Sendable {
    struct Run: Sendable {
        var tag: Int32
        var first: Int32
        var last: Int32
        var prefix: IPPrefix
    }

    public let queries: [IPPrefix]
    /// Files added so far; the next file's position.
    public private(set) var files = 0
    private var names: [String] = []
    private var numbers: [String: Int32] = [:]
    private var runs: [[Run]]
    /// The queries sorted for `add(_ file:)`, made on its first use.
    var order: QueryOrder?

    /// - Parameter queries: in `AddressHistory.query(for:)` form.
    public init(queries: [IPPrefix]) {
        self.queries = queries
        runs = Array(repeating: [], count: queries.count)
    }

    /// The stable number of a tag name over the whole archive.
    mutating func number(of name: String) -> Int32 {
        if let n = numbers[name] { return n }
        let n = Int32(names.count)
        names.append(name)
        numbers[name] = n
        return n
    }

    /// Records that in the file being added (position `files`) query `q` is in tag `tag` through
    /// `prefix` (its most specific one). Call at most once per query and tag per file, then `endFile()`.
    /// - Complexity: O(runs of query `q`), a handful.
    mutating func record(query q: Int, tag: Int32, prefix: IPPrefix) {
        let f = Int32(files)
        let open = f - 1
        for r in runs[q].indices where runs[q][r].tag == tag && runs[q][r].last == open {
            if runs[q][r].prefix == prefix {
                runs[q][r].last = f
                return
            }
            break
        }
        runs[q].append(Run(tag: tag, first: f, last: f, prefix: prefix))
    }

    mutating func endFile() { files += 1 }

    /// The histories, in query order.
    /// - Complexity: O(runs log runs) per query.
    public func finish() -> [AddressHistory] {
        zip(queries, runs).map { query, runs in
            var byTag: [Int32: [AddressHistory.Interval]] = [:]
            for r in runs {
                byTag[r.tag, default: []].append(.init(first: Int(r.first), last: Int(r.last), prefix: r.prefix))
            }
            let tags = byTag.map { tag, intervals in
                AddressHistory.TagIntervals(name: names[Int(tag)], intervals: intervals.sorted { $0.first < $1.first })
            }
            return AddressHistory(query: query, tags: tags.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
        }
    }
}

extension AddressHistoryBuilder {
    /// Adds the next file from answers found some other way (a compiled history, a test):
    /// `answers[q]` lists query `q`'s tags in this file, each once, with its most specific prefix.
    /// - Complexity: O(answers × runs per query).
    public mutating func add(answers: [[(name: String, prefix: IPPrefix)]]) {
        precondition(answers.count == queries.count, "one answer list per query")
        for (q, list) in answers.enumerated() {
            for a in list { record(query: q, tag: number(of: a.name), prefix: a.prefix) }
        }
        endFile()
    }
}

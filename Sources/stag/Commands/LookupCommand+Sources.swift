import ServiceTags
import StagOptions

/// `stag lookup` with several `--data` files or `--overlap`: every input answered from each file,
/// each tag naming its cloud (when there are several files). Standard input is read in blocks here
/// (`InputLines`, not the block pipeline of `lookup -`), each combination of answers rendered once
/// (`RenderedAnswers`): results still stream in input order.
extension LookupCommand {
    /// One `--data` file as the answers need it.
    struct Source {
        var cloud: String
        var matcher: Matcher
        /// Metadata, by `TagID`.
        var tags: [ServiceTag]
        /// The file's prefixes in address order (`--overlap` only).
        var overlaps: OverlapIndex?
        var only: Set<TagID>?
    }

    /// One tag of an answer: which file, which tag, and its prefix or its overlap.
    struct SourcedMatch {
        var source: Int
        var tag: TagID
        var prefix: IPPrefix?
        var overlap: AddressCount?
    }

    static func runSources(_ options: Options) throws(CLIError) -> Int32 {
        let json = options.json, fromStdin = options.fromStdin
        let loaded = try DataSource.loadSeveral(options.data, command: "lookup")
        let selection = options.tags
        do { try selection.check(loaded.map { $0.file.tags.map(\.name) }, scope: .file) } catch { throw CLIError("lookup: \(error)") }
        let overlap = options.overlap
        let indexed = fromStdin || options.inputs.count > scanLimit
        let sources = loaded.map { l -> Source in
            let matcher = l.index.map { Matcher.index(indexed ? $0.withJumps() : $0) } ?? (indexed ? Matcher.index(TagIndexBuilder(l.file).finish()) : .scan(l.file))
            let only = selection.selectsAll ? nil : Set(selection.matchingPositions(in: l.file.tags.map(\.name)).map { TagID($0) })
            // A compiled index's `file` has no prefix lists: its tags are decoded from the index.
            let overlaps = overlap ? OverlapIndex(l.index?.tags ?? l.file.tags) : nil
            return Source(cloud: l.cloud, matcher: matcher, tags: l.file.tags, overlaps: overlaps, only: only)
        }
        let out = Output.standardOutput
        var status = LookupStatus()
        if fromStdin {
            // Flushed after each read's lines: a pipe fed a line at a time gets each answer at once.
            var rendered = RenderedAnswers(sources)
            try InputLines.forEachInput(fd: 0, command: "lookup", { input in
                if overlap {
                    lookup(input, sources: sources, overlap: overlap, json: json, out: out, status: &status)
                } else {
                    lookup(input, sources: sources, json: json, rendered: &rendered, out: out, status: &status)
                }
            }, afterBlock: { out.flush() })
        } else {
            for input in options.inputs { lookup(input, sources: sources, overlap: overlap, json: json, out: out, status: &status) }
        }
        out.flush()
        return status.exitCode
    }

    /// The query an input line asks, or nil once it is reported invalid.
    private static func query(_ input: String, json: Bool, out: Output, status: inout LookupStatus) -> IPPrefix? {
        do {
            return input.contains("/") ? try IPPrefix(parsing: input) : IPPrefix(address: try IPAddress(parsing: input))
        } catch {
            reportInvalid(input, error, json: json, out: out, status: &status)
            return nil
        }
    }

    /// The answers of a stream without `--overlap`, by the node each file's index answers from:
    /// the tags, prefixes and their order depend on nothing else, so each combination's text (or
    /// JSON) after the address is rendered once. Bounded: emptied when it reaches `limit`.
    struct RenderedAnswers {
        static let limit = 1 << 16
        var byKey: [[Int]: (matched: Bool, text: String)] = [:]
        /// Each source's index, taken out of its `Source` once: copying a `Source` (or its
        /// matcher) per address retained every array it holds, a fifth of the stream's time.
        let indexes: [TagIndex]

        /// - Precondition: every source's matcher is an index (a stream always builds or loads one).
        init(_ sources: [Source]) {
            indexes = sources.map { source in
                guard case .index(let index) = source.matcher else { preconditionFailure("a stream looks up through an index") }
                return index
            }
        }
    }

    /// `lookup` for an input of a stream without `--overlap`, through `rendered` (made of `sources`).
    static func lookup(_ input: String, sources: [Source], json: Bool, rendered: inout RenderedAnswers, out: Output,
                       status: inout LookupStatus) {
        guard let query = query(input, json: json, out: out, status: &status) else { return }
        var key: [Int] = []
        key.reserveCapacity(rendered.indexes.count)
        for i in rendered.indexes.indices { key.append(rendered.indexes[i].answerKey(for: query) ?? -1) }
        let answer: (matched: Bool, text: String)
        if let known = rendered.byKey[key] {
            answer = known
        } else {
            answer = self.answer(query, sources, json: json)
            if rendered.byKey.count >= RenderedAnswers.limit { rendered.byKey.removeAll(keepingCapacity: true) }
            rendered.byKey[key] = answer
        }
        write(input, answer, json: json, out: out, status: &status)
    }

    static func lookup(_ input: String, sources: [Source], overlap: Bool, json: Bool, out: Output, status: inout LookupStatus) {
        guard let query = query(input, json: json, out: out, status: &status) else { return }
        write(input, answer(query, sources, json: json), json: json, out: out, status: &status)
    }

    /// Whether any file answers `query`, and the answer as printed after the address.
    private static func answer(_ query: IPPrefix, _ sources: [Source], json: Bool) -> (matched: Bool, text: String) {
        let matches = sourcedMatches(query, sources)
        return (!matches.isEmpty, json ? sourcedJSON(matches, sources, ipv4: query.unmapped.isIPv4)
                                       : sourcedText(matches, sources, query: query))
    }

    /// The input as given (escaped), then its answer.
    private static func write(_ input: String, _ answer: (matched: Bool, text: String), json: Bool, out: Output,
                              status: inout LookupStatus) {
        if answer.matched { status.matched = true }
        out.write(json ? "{\"address\":" + JSONText.string(input) : HumanText.escaped(input))
        out.write(answer.text)
    }

    /// Every file's tags for `query` (overlaps with `--overlap`), in file order, within `--tag`.
    private static func sourcedMatches(_ query: IPPrefix, _ sources: [Source]) -> [SourcedMatch] {
        var matches: [SourcedMatch] = []
        for s in sources.indices {  // not `for source in sources`: a copy of each, per address
            if let overlaps = sources[s].overlaps {
                for o in overlaps.overlaps(with: query) where sources[s].only?.contains(o.tag) ?? true {
                    matches.append(SourcedMatch(source: s, tag: o.tag, overlap: o.addresses))
                }
            } else {
                for m in sources[s].matcher.matches(for: query) where sources[s].only?.contains(m.tag) ?? true {
                    matches.append(SourcedMatch(source: s, tag: m.tag, prefix: m.prefix))
                }
            }
        }
        return matches
    }

    private static func name(_ m: SourcedMatch, _ sources: [Source]) -> String { sources[m.source].tags[Int(m.tag)].name }

    /// `,"tags":[...]}` and a newline: by name, then file order (with `--overlap`: most overlap
    /// first, then so); `"cloud"` only with several files; `"overlap"` instead of `"prefix"` with
    /// `--overlap` (a number for IPv4, a decimal string for IPv6).
    static func sourcedJSON(_ matches: [SourcedMatch], _ sources: [Source], ipv4: Bool) -> String {
        let sorted = matches.sorted {
            if let oa = $0.overlap, let ob = $1.overlap, oa != ob { return oa > ob }
            let a = name($0, sources), b = name($1, sources)
            return a != b ? a.utf8.lexicographicallyPrecedes(b.utf8) : $0.source < $1.source
        }
        let objects = sorted.map { m -> String in
            let t = sources[m.source].tags[Int(m.tag)]
            var fields = [("name", JSONText.string(t.name))]
            if sources.count > 1 { fields.append(("cloud", JSONText.string(sources[m.source].cloud))) }
            if let prefix = m.prefix { fields.append(("prefix", JSONText.string(prefix.description))) }
            if let overlap = m.overlap {
                fields.append(("overlap", ipv4 ? overlap.description : JSONText.string(overlap.description)))
            }
            fields += [("region", JSONText.string(t.region)), ("systemService", JSONText.string(t.systemService)),
                       ("networkFeatures", JSONText.optionalStrings(t.networkFeatures))]
            return JSONText.object(fields)
        }
        return ",\"tags\":" + JSONText.array(objects) + "}\n"
    }

    /// A newline, then one aligned row per tag: name, cloud (several files only), then the most
    /// specific prefix (most specific first) or the overlap and its share of the query (most
    /// overlap first), region, system service. Ties by name, then file order.
    static func sourcedText(_ matches: [SourcedMatch], _ sources: [Source], query: IPPrefix) -> String {
        if matches.isEmpty { return "\n  (no service tag)\n" }
        let sorted = matches.sorted { a, b in
            if let pa = a.prefix, let pb = b.prefix, pa.length != pb.length { return pa.length > pb.length }
            if let oa = a.overlap, let ob = b.overlap, oa != ob { return oa > ob }
            let na = name(a, sources), nb = name(b, sources)
            return na != nb ? na.utf8.lexicographicallyPrecedes(nb.utf8) : a.source < b.source
        }
        let querySize = query.unmapped.addressCount
        let rows = sorted.map { m -> [String] in
            let t = sources[m.source].tags[Int(m.tag)]
            var row = [t.name]
            if sources.count > 1 { row.append(sources[m.source].cloud) }
            if let prefix = m.prefix { row.append(prefix.description) }
            if let overlap = m.overlap { row += [overlap.description, percent(overlap, of: querySize)] }
            row += [t.region.isEmpty ? "-" : t.region, t.systemService.isEmpty ? "-" : t.systemService]
            return row
        }
        return "\n" + TextTable.align(rows).map { "  " + $0 + "\n" }.joined()
    }

    /// `part` as a share of `whole`, e.g. `25%` or `0.01%`, never rounded to 0% or 100% unless exact.
    static func percent(_ part: AddressCount, of whole: AddressCount) -> String {
        if part == whole { return "100%" }
        let p = part.doubleValue / whole.doubleValue * 100
        var text = p >= 1 ? String(Int(p)) : p >= 0.01 ? "0." + pad2(Int(p * 100)) : "<0.01"
        if text == "100" { text = "99" }
        return text + "%"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension IPPrefix {
    /// The number of addresses of the prefix.
    var addressCount: AddressCount {
        switch self {
        case .v4(let p): IPRange(p).addressCount
        case .v6(let p): IPRange(p).addressCount
        }
    }
}

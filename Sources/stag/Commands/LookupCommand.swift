#if canImport(Glibc)
import Glibc
#endif
import ServiceTags
import StagOptions

/// `stag lookup [--data PATH]... [--tag NAME]... [--overlap] [--json] ADDRESS... | -`
enum LookupCommand {
    static let command = Command(
        name: "lookup",
        summary: "Show which service tags contain each address or prefix.",
        usage: "stag lookup [--data PATH]... [--tag NAME]... [--overlap] [--json] ADDRESS... | -",
        options: [
            OptionSpec.severalData,
            OptionSpec.tag.with(help: "only report these tags: names or globs such as 'Storage.*' (repeatable)"),
            OptionSpec.overlap,
            OptionSpec.json,
            OptionSpec.threads,
        ],
        details: """
        Arguments:
          ADDRESS   an IPv4 or IPv6 address (IPv4-mapped IPv6 is looked up as IPv4), or a prefix
                    such as 20.62.130.0/24 to ask which tags contain the whole prefix
          -         read addresses from standard input, one per line; blank lines and lines
                    starting with # are skipped; results stream in input order

        Output: the address, then one line per matching tag (name, most specific prefix of that
        tag containing the address, region, system service), most specific first. With --json,
        one JSON object per input line: {"address":...,"tags":[{"name","prefix","region",
        "systemService","networkFeatures"}]} with tags sorted by name, or {"address":...,"error":...}.

        --overlap: the tags with any prefix intersecting the prefix asked (an address is its /32
        or /128), each with the number of addresses they share and its share of the prefix, most
        overlap first (ties by name), in JSON too; JSON has "overlap" (a number for IPv4, a decimal string for
        IPv6) instead of "prefix".

        --data given more than once (e.g. the Public, AzureGovernment and China files): every
        input is answered from each file; each tag carries "cloud" (the file's cloud) in JSON and
        a cloud column in text. With several --data or --overlap, '-' reads standard input line
        by line, answering each line as it arrives (--threads is then not used).

        Exit status: 0 if any input matched a tag, 1 if none did, 2 if any input or the data was invalid.
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    /// What `stag lookup` was asked, parsed and checked once, before any data is read.
    struct Options {
        /// The addresses and prefixes given (empty when they come from standard input).
        var inputs: [String]
        var fromStdin: Bool
        /// `--data`, as many as given (none: the default data).
        var data: [String]
        var tags: TagSelection
        var overlap: Bool
        var json: Bool
        var threads: Int

        init(_ args: ParsedArguments) throws(CLIError) {
            fromStdin = try LookupCommand.addressesFromStandardInput(args, command: "lookup")
            inputs = fromStdin ? [] : args.positionals
            data = args.all(.data)
            tags = TagSelection(texts: args.all(.tag))
            overlap = args.has(.overlap)
            json = args.has(.json)
            threads = try StreamOptions.threadCount(args, command: "lookup")
        }

        /// Several files or `--overlap`: answered per source (`LookupCommand+Sources`).
        var needsSources: Bool { data.count > 1 || overlap }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        if options.needsSources { return try runSources(options) }
        if options.fromStdin { return try runStream(options) }
        let json = options.json
        let (file, loadedIndex) = try DataSource.loadIndexed(options.data.last)
        // A compiled index is used as loaded. Else, a few addresses: scan the prefixes once per
        // address (~0.1 ms each); many addresses: build the index once (~18 ms) and answer each
        // in well under a microsecond.
        let matcher = loadedIndex.map { Matcher.index(options.inputs.count > scanLimit ? $0.withJumps() : $0) }
            ?? (options.inputs.count > scanLimit ? Matcher.index(TagIndexBuilder(file).finish()) : .scan(file))
        let only = try selectedTags(options.tags, file.tags).map { Set($0.map { TagID($0) }) }
        let out = Output.standardOutput
        var status = LookupStatus()
        for input in options.inputs {
            lookup(input, matcher: matcher, tags: file.tags, only: only, json: json, out: out, status: &status)
        }
        out.flush()
        return status.exitCode
    }

    /// `lookup -`: bytes end to end (`LookupProcessor`), in blocks, on worker threads for large input.
    static func runStream(_ options: Options) throws(CLIError) -> Int32 {
        let threads = options.threads, json = options.json
        let index = try DataSource.loadIndex(options.data.last)
        // Names and metadata only: reading `index.tags` would decode every prefix list of a
        // compiled index, which a stream never prints.
        let only = try selectedTags(options.tags, index.tagMetadata).map { positions in
            var only = Array(repeating: false, count: index.tagMetadata.count)
            for p in positions { only[p] = true }
            return only
        }
        let out = Output.standardOutput
        var status = LookupStatus()
        // A stream: the IPv6 jumps pay for themselves (a loaded compiled index comes without).
        let answers = LookupAnswers(index: index.withJumps(), only: only, json: json)
        let pipeline = BlockPipeline(threads: threads, blockSize: 1 << 17) { LookupProcessor(answers) }
        defer { pipeline.close() }
        let failure = pipeline.run(fd: 0, input: 0, beforeRead: { out.flush() }) { block in
            out.write(block: block)
            if block.selected > 0 { status.matched = true }
            if block.invalid { status.invalid = true }
            return true
        }
        if let failure { throw CLIError("reading addresses from standard input: \(String(cString: strerror(failure)))") }
        out.flush()
        return status.exitCode
    }

    struct LookupStatus {
        var matched = false
        var invalid = false
        var exitCode: Int32 { invalid ? ExitCode.failure : matched ? ExitCode.success : ExitCode.notFound }
    }

    /// Up to this many command-line addresses are answered by scanning instead of indexing.
    static let scanLimit = 16

    /// The two ways to answer; both give the same matches (`ScanLookupTests`).
    enum Matcher {
        case scan(ServiceTagsFile)
        case index(TagIndex)

        func matches(for address: IPAddress) -> [TagIndex.Match] {
            switch self {
            case .scan(let file): file.scanMatches(for: address)
            case .index(let index): index.matches(for: address)
            }
        }

        func matches(for prefix: IPPrefix) -> [TagIndex.Match] {
            switch self {
            case .scan(let file): file.scanMatches(for: prefix)
            case .index(let index): index.matches(for: prefix)
            }
        }
    }

    /// The positions of the `--tag` names and globs in `tags`, or nil without `--tag`.
    /// - Throws: `CLIError` for a name or glob that selects no tag (with near names).
    static func selectedTags(_ selection: TagSelection, _ tags: [ServiceTag], command: String = "lookup") throws(CLIError) -> [Int]? {
        if selection.selectsAll { return nil }
        do { return try selection.positions(in: tags.map(\.name)) } catch { throw CLIError("\(command): \(error)") }
    }

    static func lookup(_ input: String, matcher: Matcher, tags: [ServiceTag], only: Set<TagID>?, json: Bool, out: Output,
                       status: inout LookupStatus) {
        var matches: [TagIndex.Match]
        do {
            if input.contains("/") {
                matches = matcher.matches(for: try IPPrefix(parsing: input))
            } else {
                matches = matcher.matches(for: try IPAddress(parsing: input))
            }
        } catch {
            reportInvalid(input, error, json: json, out: out, status: &status)
            return
        }
        if let only { matches.removeAll { !only.contains($0.tag) } }
        if !matches.isEmpty { status.matched = true }
        if json {
            out.write("{\"address\":" + JSONText.string(input))
            out.write(answerJSON(matches, tags: tags))
        } else {
            out.write(HumanText.escaped(input))
            out.write(answerText(matches, tags: tags))
        }
    }

    /// An invalid input: its JSON line in the results, or a message on stderr in text mode.
    static func reportInvalid(_ input: String, _ error: AddressParseError, json: Bool, out: Output, status: inout LookupStatus) {
        status.invalid = true
        if json {
            out.line(invalidJSON(input, error))
        } else {
            out.flush()
            Output.standardError.line(invalidMessage(error))
            Output.standardError.flush()
        }
    }

    /// Checks the address arguments of `lookup` and `suggest`: some addresses, or a lone `-`
    /// (then the data cannot come from standard input too). Whether they come from standard input.
    static func addressesFromStandardInput(_ args: ParsedArguments, command: String) throws(CLIError) -> Bool {
        if args.positionals.isEmpty { throw CLIError.usage(command, "expected one or more addresses, or - to read them from standard input") }
        if args.positionals.count > 1 && args.positionals.contains("-") {
            throw CLIError.usage(command, "'-' (read addresses from standard input) cannot be mixed with addresses")
        }
        let fromStdin = args.positionals == ["-"]
        if fromStdin && DataSource.dataFromStandardInput(args.all(.data)) {
            throw CLIError.usage(command, "standard input cannot carry both the data (--data -) and the addresses (-)")
        }
        return fromStdin
    }

    /// `{"address":...,"error":...}` for an invalid input.
    static func invalidJSON(_ input: String, _ error: AddressParseError) -> String {
        JSONText.object([("address", JSONText.string(input)), ("error", JSONText.string(error.message))])
    }

    /// The stderr line for an invalid input in text mode. The input is a line of whatever the user
    /// piped in: shown escaped, like data.
    static func invalidMessage(_ error: AddressParseError) -> String {
        HumanText.sanitized("stag: lookup: invalid address \(error)")
    }

    /// What follows `{"address":"..."` up to the end of the line: `,"tags":[...]}` and a
    /// newline, the tags sorted by name. Depends only on the answer list, so the stream renders it
    /// once per index node (`LookupRenderer`).
    static func answerJSON(_ matches: [TagIndex.Match], tags: [ServiceTag]) -> String {
        let sorted = matches.sorted { tags[Int($0.tag)].name.utf8.lexicographicallyPrecedes(tags[Int($1.tag)].name.utf8) }
        let objects = sorted.map { m -> String in
            let t = tags[Int(m.tag)]
            return JSONText.object([
                ("name", JSONText.string(t.name)), ("prefix", JSONText.string(m.prefix.description)),
                ("region", JSONText.string(t.region)), ("systemService", JSONText.string(t.systemService)),
                ("networkFeatures", JSONText.optionalStrings(t.networkFeatures)),
            ])
        }
        return ",\"tags\":" + JSONText.array(objects) + "}\n"
    }

    /// What follows the (escaped) address in text mode: a newline, then one aligned row per tag,
    /// most specific first and equal lengths by name, or `(no service tag)`.
    static func answerText(_ matches: [TagIndex.Match], tags: [ServiceTag]) -> String {
        if matches.isEmpty { return "\n  (no service tag)\n" }
        let sorted = matches.sorted {
            $0.prefix.length != $1.prefix.length ? $0.prefix.length > $1.prefix.length
                : tags[Int($0.tag)].name.utf8.lexicographicallyPrecedes(tags[Int($1.tag)].name.utf8)
        }
        let rows = sorted.map { m -> [String] in
            let t = tags[Int(m.tag)]
            return [t.name, m.prefix.description, t.region.isEmpty ? "-" : t.region, t.systemService.isEmpty ? "-" : t.systemService]
        }
        return "\n" + TextTable.align(rows).map { "  " + $0 + "\n" }.joined()
    }
}

import ServiceTags

/// `stag lookup [--data PATH] [--tag NAME]... [--json] ADDRESS... | -`
enum LookupCommand {
    static let command = Command(
        name: "lookup",
        summary: "Show which service tags contain each address or prefix.",
        usage: "stag lookup [--data PATH] [--tag NAME]... [--json] ADDRESS... | -",
        options: [
            DataSource.option,
            OptionSpec(name: "--tag", kind: .repeatable, valueName: "NAME", help: "only report this tag (repeatable)"),
            Command.json,
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

        Exit status: 0 if any input matched a tag, 1 if none did, 2 if any input or the data was invalid.
        """,
        run: run)

    static func run(_ args: ParsedArguments) throws(CLIError) -> Int32 {
        if args.positionals.isEmpty { throw CLIError.usage("lookup", "expected one or more addresses, or - to read them from standard input") }
        let fromStdin = args.positionals == ["-"]
        if args.positionals.count > 1 && args.positionals.contains("-") {
            throw CLIError.usage("lookup", "'-' (read addresses from standard input) cannot be mixed with addresses")
        }
        if fromStdin && (args.value("--data") == "-" || (args.value("--data") == nil && DataSource.environment("STAG_DATA") == "-")) {
            throw CLIError.usage("lookup", "standard input cannot carry both the data (--data -) and the addresses (-)")
        }
        let (file, loadedIndex) = try DataSource.loadIndexed(args.value("--data"))
        // A compiled index is used as loaded. Else, a few addresses: scan the prefixes once per
        // address (~0.1 ms each); a stream or many addresses: build the index once (~18 ms) and
        // answer each in well under a microsecond.
        let matcher = loadedIndex.map(Matcher.index)
            ?? (fromStdin || args.positionals.count > scanLimit ? Matcher.index(TagIndexBuilder(file).finish()) : .scan(file))
        var only: Set<TagID>? = nil
        if !args.all("--tag").isEmpty {
            var ids: [String: TagID] = [:]
            for (i, tag) in file.tags.enumerated() { ids[tag.name] = TagID(i) }
            for name in args.all("--tag") {
                guard let id = ids[name] else { throw unknownTag(name, file) }
                only = (only ?? []).union([id])
            }
        }
        let out = Output.standardOutput
        var status = LookupStatus()
        let json = args.has("--json")
        func handle(_ input: String) {
            lookup(input, matcher: matcher, tags: file.tags, only: only, json: json, out: out, status: &status)
        }
        if fromStdin {
            var reader = LineReader(fd: 0, beforeRead: { out.flush() })
            while let line = reader.next() {
                let trimmed = line.trimmingWhitespace()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                handle(trimmed)
            }
            if let error = reader.error { throw CLIError("reading addresses from standard input: \(error)") }
        } else {
            for input in args.positionals { handle(input) }
        }
        out.flush()
        return status.invalid ? ExitCode.failure : status.matched ? ExitCode.success : ExitCode.notFound
    }

    struct LookupStatus { var matched = false; var invalid = false }

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

    static func unknownTag(_ name: String, _ file: ServiceTagsFile) -> CLIError {
        let near = NearNames.suggestions(for: name, in: file.tags.map(\.name))
        return CLIError("unknown tag '\(HumanText.escaped(name))'"
                        + (near.isEmpty ? "" : "; did you mean " + near.map { "'\(HumanText.escaped($0))'" }.joined(separator: ", ") + "?"))
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
            status.invalid = true
            if json {
                out.line(JSONText.object([("address", JSONText.string(input)), ("error", JSONText.string(error.message))]))
            } else {
                out.flush()
                // The input is a line of whatever the user piped in: shown escaped, like data.
                Output.standardError.line(HumanText.sanitized("stag: lookup: invalid address \(error)"))
                Output.standardError.flush()
            }
            return
        }
        if let only { matches.removeAll { !only.contains($0.tag) } }
        if !matches.isEmpty { status.matched = true }
        if json {
            matches.sort { tags[Int($0.tag)].name.utf8.lexicographicallyPrecedes(tags[Int($1.tag)].name.utf8) }
            let tags = matches.map { m -> String in
                let t = tags[Int(m.tag)]
                return JSONText.object([
                    ("name", JSONText.string(t.name)), ("prefix", JSONText.string(m.prefix.description)),
                    ("region", JSONText.string(t.region)), ("systemService", JSONText.string(t.systemService)),
                    ("networkFeatures", JSONText.optionalStrings(t.networkFeatures)),
                ])
            }
            out.line(JSONText.object([("address", JSONText.string(input)), ("tags", JSONText.array(tags))]))
            return
        }
        // Most specific first; equal lengths by name.
        matches.sort {
            $0.prefix.length != $1.prefix.length ? $0.prefix.length > $1.prefix.length
                : tags[Int($0.tag)].name.utf8.lexicographicallyPrecedes(tags[Int($1.tag)].name.utf8)
        }
        out.line(HumanText.escaped(input))
        if matches.isEmpty { out.line("  (no service tag)"); return }
        let rows = matches.map { m -> [String] in
            let t = tags[Int(m.tag)]
            return [t.name, m.prefix.description, t.region.isEmpty ? "-" : t.region, t.systemService.isEmpty ? "-" : t.systemService]
        }
        for row in TextTable.align(rows) { out.line("  " + row) }
    }
}

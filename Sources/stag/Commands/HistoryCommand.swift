#if canImport(Glibc)
import Glibc
#endif
import ServiceTags
import StagOptions

/// `stag history ADDRESS... | - [--archive DIR] [--cloud CLOUD] [--tag NAME]... [--json]`
/// `stag history --tag NAME... [--archive DIR] [--cloud CLOUD] [--json]`
///
/// Reads every file of the archive once, oldest first, and answers all addresses against each
/// file's index before reading the next; only the answers so far are kept between files.
enum HistoryCommand {
    static let command = Command(
        name: "history",
        summary: "Show when addresses were inside which service tags, or how tags changed, over an archive of weekly files.",
        usage: "stag history ADDRESS... | - [--archive DIR] [--cloud CLOUD] [--tag NAME]... [--json]\n       stag history --tag NAME... [--archive DIR] [--cloud CLOUD] [--json]",
        options: [archive, .cloud, OptionSpec.tag.with(help: "a tag name or glob (Storage.*); with addresses, only these tags (repeatable)"), .json],
        details: """
        Arguments:
          ADDRESS   an IPv4 or IPv6 address (IPv4-mapped IPv6 is looked up as IPv4), or a prefix
                    such as 20.62.130.0/24 (the tags containing all of it)
          -         read addresses from standard input, one per line; blank lines and lines
                    starting with # are skipped

        Archive: the *.json files of DIR (manifest.json aside) are the weeks, ordered by the date
        in their names; all must be of one cloud (or pass --cloud to take one), with a date in the
        name and no two of one date. Without --archive: the files 'stag fetch' stored for --cloud
        (default: the cloud of the newest stored file). Each file is read and indexed once.
        --archive FILE: a compiled history ('stag compile --archive DIR -o FILE', recognised by
        its header), which answers exactly as the files it was compiled from, without parsing
        them; a truncated, corrupted or wrong-version one is an error (exit 2). Without --archive,
        the cache's history-<Cloud>.stagh is used instead of the stored files while it was
        compiled from exactly those files (same names, sizes and SHA-256); ask for it once with
        'stag fetch --history' and every later fetch keeps it current.

        Addresses: for each address, the intervals in which a tag contained it, one per line: tag,
        its most specific prefix containing the address, and the first and last date of the run
        of consecutive files with that same prefix; then 'not in any tag since DATE' if it left
        every tag (every selected tag, with --tag) before the last file. --json, one line per address:
          {"address","files","from","to","tags":[{"name","intervals":[{"from","to","prefix"}]}]}
        with tags sorted by name, or {"address","error"} for an invalid input.

        Tags only (--tag without addresses): per file, whether the tag is there, its change number,
        its counts of distinct IPv4 and IPv6 prefixes, and the prefixes added and removed since the
        file before (none for the first file). A file without the tag counts as the tag without
        prefixes: all its prefixes are removed, and added again when it comes back. --json, one
        line per tag (by name):
          {"tag","files","weeks":[{"date","present","changeNumber","ipv4","ipv6","added","removed"}]}

        Exit status: 0 if every address was in some tag at some time, 1 if an address never was,
        2 if any input was invalid or on error (no files, mixed clouds, undated names, duplicate
        dates, a tag no file has).
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    static let archive = OptionSpec(name: "--archive", kind: .value, valueName: "DIR",
                                    help: "directory of weekly files ServiceTags_<Cloud>_YYYYMMDD.json, or a compiled history (stag compile --archive) (default: the fetch cache)")

    /// What `stag history` was asked, parsed and checked once, before any file is read.
    struct Options {
        var inputs: [String]
        var fromStdin: Bool
        var tags: TagSelection
        var archive: String?
        var cloud: ServiceTagsCloud?
        var json: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            inputs = args.positionals
            tags = TagSelection(texts: args.all(.tag))
            if inputs.isEmpty && tags.selectsAll {
                throw CLIError.usage("history", "expected one or more addresses, - to read them from standard input, or --tag NAME")
            }
            if inputs.count > 1 && inputs.contains("-") {
                throw CLIError.usage("history", "'-' (read addresses from standard input) cannot be mixed with addresses")
            }
            fromStdin = inputs == ["-"]
            archive = args.value(HistoryCommand.archive)
            cloud = try CacheDirectory.parseCloud(args.value(.cloud), command: "history")
            json = args.has(.json)
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        let archive = try loadArchive(options)
        if options.inputs.isEmpty { return try runTags(archive, options.tags, json: options.json) }
        let inputs = options.fromStdin ? try readLines() : options.inputs
        return try runAddresses(archive, inputs, options.tags, json: options.json)
    }

    /// The archive of `--archive DIR` (or a compiled history `--archive FILE`), or of the fetch
    /// cache: its compiled history when current (`HistorySource.cached`), else its files.
    static func loadArchive(_ options: Options) throws(CLIError) -> HistorySource {
        let cloud = options.cloud
        do {
            if let dir = options.archive {
                if dir.isEmpty { throw CLIError("history: empty --archive: give a directory of weekly files") }
                if CacheDirectory.fileSize(dir) != nil { return try .compiled(HistorySource.load(dir, cloud: cloud)) }
                return .files(try HistoryArchive(fileNames: try jsonFiles(in: dir, command: "history"), directory: dir, cloud: cloud))
            }
            guard let dir = CacheDirectory.path() else {
                throw CLIError("history: no cache directory: set STAG_CACHE_DIR (or HOME), or pass --archive DIR")
            }
            let chosen = cloud ?? CacheDirectory.defaultFile(in: dir)?.name.cloud
            let stored = chosen.map { CacheDirectory.storedFiles(in: dir, cloud: $0) } ?? []
            if stored.isEmpty {
                throw CLIError("history: no weekly files stored in \(HumanText.escaped(dir)); run 'stag fetch', or pass --archive DIR")
            }
            if let chosen, let compiled = HistorySource.cached(in: dir, cloud: chosen, stored: stored) { return .compiled(compiled) }
            return .files(try HistoryArchive(fileNames: stored.map(\.name.description), directory: dir, cloud: chosen))
        } catch let error as HistoryArchiveError {
            throw CLIError("history: \(error)")
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("history: \(error)")
        }
    }

    /// The names of the regular `*.json` files in `dir`, `manifest.json` aside.
    static func jsonFiles(in dir: String, command: String) throws(CLIError) -> [String] {
        if CacheDirectory.fileSize(dir) != nil {
            throw CLIError("\(command): --archive \(HumanText.escaped(dir)) is a file; give the directory of weekly files")
        }
        guard let d = opendir(dir) else {
            throw CLIError("\(command): cannot read --archive \(HumanText.escaped(dir)): \(String(cString: strerror(errno)))")
        }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasSuffix(".json"), name != FetchManifest.fileName,
                  CacheDirectory.fileSize(dir + "/" + name) != nil else { continue }
            names.append(name)
        }
        return names
    }

    /// Each file of the archive, parsed and checked to be of the archive's cloud, oldest first;
    /// then, a pattern that matched no tag of any file is an error, as an unknown tag is for lookup.
    static func forEachFile(_ archive: HistoryArchive, checking selection: TagSelection, _ body: (ServiceTagsFile) -> Void) throws(CLIError) {
        var names = Set<String>()
        for entry in archive.entries {
            let file: ServiceTagsFile
            do {
                file = try ServiceTagsFile(readingFileAt: entry.path)
                try archive.checkCloud(file, of: entry)
            } catch {
                throw CLIError("history: \(error)")
            }
            if !selection.selectsAll { names.formUnion(file.tags.map(\.name)) }
            body(file)
        }
        do {
            try selection.check([names.sorted()], scope: .archive(files: archive.entries.count))
        } catch {
            throw CLIError("history: \(error)")
        }
    }

    /// As `forEachFile`'s check: a pattern no tag of any file matched is an error.
    static func check(_ selection: TagSelection, _ compiled: CompiledHistory) throws(CLIError) {
        guard !selection.selectsAll else { return }
        do {
            try selection.check([compiled.tagNames.sorted()], scope: .archive(files: compiled.files.count))
        } catch {
            throw CLIError("history: \(error)")
        }
    }

    static func runAddresses(_ source: HistorySource, _ inputs: [String], _ selection: TagSelection, json: Bool) throws(CLIError) -> Int32 {
        let archive = source.archive
        var parsed: [Result<IPPrefix, AddressParseError>] = []
        for input in inputs {
            do {
                parsed.append(.success(input.contains("/") ? AddressHistory.query(for: try IPPrefix(parsing: input))
                                                          : AddressHistory.query(for: try IPAddress(parsing: input))))
            } catch {
                parsed.append(.failure(error))
            }
        }
        let queries = parsed.compactMap { try? $0.get() }
        let histories: [AddressHistory]
        switch source {
        case .files(let archive):
            var builder = AddressHistoryBuilder(queries: queries)
            try forEachFile(archive, checking: selection) { file in builder.add(file, selecting: selection) }
            histories = builder.finish()
        case .compiled(let compiled):
            try check(selection, compiled)
            histories = compiled.addressHistories(queries, selecting: selection)
        }
        let out = Output.standardOutput
        var next = 0
        var invalid = false, missing = false
        for (input, query) in zip(inputs, parsed) {
            switch query {
            case .failure(let error):
                invalid = true
                if json {
                    out.line(LookupCommand.invalidJSON(input, error))
                } else {
                    out.flush()
                    Output.standardError.line(HumanText.sanitized("stag: history: invalid address \(error)"))
                    Output.standardError.flush()
                }
            case .success:
                let h = histories[next]
                next += 1
                if !h.wasFound { missing = true }
                out.write(json ? HistoryOutput.json(h, input: input, archive: archive) : HistoryOutput.text(h, input: input, archive: archive, restricted: !selection.selectsAll))
            }
        }
        out.flush()
        return invalid ? ExitCode.failure : missing ? ExitCode.notFound : ExitCode.success
    }

    static func runTags(_ source: HistorySource, _ selection: TagSelection, json: Bool) throws(CLIError) -> Int32 {
        let archive = source.archive
        let histories: [TagHistory]
        switch source {
        case .files(let archive):
            var builder = TagHistoryBuilder(selection: selection)
            try forEachFile(archive, checking: selection) { file in builder.add(file.tags) }
            histories = builder.finish()
        case .compiled(let compiled):
            try check(selection, compiled)
            histories = compiled.tagHistories(selecting: selection)
        }
        let out = Output.standardOutput
        for h in histories {
            out.write(json ? HistoryOutput.json(h, archive: archive) : HistoryOutput.text(h, archive: archive))
        }
        out.flush()
        return ExitCode.success
    }

    /// Standard input's lines, trimmed; blank lines and `#` comments left out.
    static func readLines() throws(CLIError) -> [String] {
        var lines: [String] = []
        try InputLines.forEachInput(fd: 0, command: "history", { lines.append($0) }, afterBlock: {})
        return lines
    }
}

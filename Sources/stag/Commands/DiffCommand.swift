import ServiceTags
import StagOptions

/// `stag diff OLD NEW | --previous [--cloud C] [--tag NAME]... [--semantic] [--json | --format FMT] [-o FILE]`,
/// and with a delta format `[--exclude TAG]... [--ipv4 | --ipv6] [--aggregate] [--name NAME] [--max-entries N]`.
enum DiffCommand {
    static let command = Command(
        name: "diff",
        summary: "Show what changed between two ServiceTags files: tags, prefixes and metadata, or address space.",
        usage: "stag diff (OLD NEW | --previous [--cloud C]) [--tag NAME]... [--semantic] [--json | --format FMT] [-o FILE] [--strict] [--allow-cloud-mismatch]\n"
            + "       stag diff (OLD NEW | --previous [--cloud C]) [--tag NAME]... --format DELTA [--exclude TAG]... [--ipv4 | --ipv6] [--aggregate] [--name NAME] [--max-entries N] [-o FILE]",
        options: [
            .tag, semantic, .json, format, OptionSpec.output.with(help: "write the result to FILE atomically (no file if the run fails)"),
            previous, .cloud, allowCloudMismatch, strict,
            OptionSpec.exclude.with(help: "delta formats: take away this tag's address space, as 'stag export --exclude' (repeatable)"),
            OptionSpec.ipv4.with(help: "delta formats: IPv4 only, as 'stag export --ipv4'"),
            OptionSpec.ipv6.with(help: "delta formats: IPv6 only, as 'stag export --ipv6'"),
            OptionSpec.aggregate.with(help: "delta formats: minimal CIDR covers, as 'stag export --aggregate'"),
            OptionSpec.objectName.with(help: "delta formats: the base object name given to 'stag export --name'; the selection is then one union"),
            OptionSpec.maxEntries.with(help: "delta formats: entries per object given to 'stag export --max-entries'"),
        ] + ExportCommand.ruleOptionSpecs(prefix: "delta formats' "),
        details: """
        Arguments:
          OLD, NEW  ServiceTags JSON files (or compiled indexes), as for --data; one of them may
                    be - for standard input

        Exact diff (default): tags added and removed, and per changed tag the prefixes listed in
        NEW and not in OLD (added) and the reverse (removed), compared as prefix values; metadata
        changes (id, region, regionId, platform, systemService, networkFeatures as a set) and the
        per-tag changeNumber. A tag whose only change is its changeNumber or metadata is listed.

        --semantic: per tag, the addresses gained and lost, each as a minimal CIDR cover. A tag
        whose prefixes changed but not the addresses they cover (a /23 split into two /24s) is
        "re-expressed, no coverage change": named in text and markdown, not a difference, and left
        out of the JSON. Metadata-only changes are not address space and are only counted.

        The files' top-level changeNumber is shown but never decides anything: equal numbers do
        not skip the comparison, and a changed number alone is not a difference.

        --json: {"old":{"cloud","changeNumber","file"},"new":{...},"semantic":BOOL,
          "summary":{"tagsAdded","tagsRemoved","tagsChanged","prefixesAdded","prefixesRemoved"
                     [,"tagsReexpressed" with --semantic],"ipv4AddressesAdded","ipv4AddressesRemoved",
                     "ipv6AddressesAdded","ipv6AddressesRemoved"},
          "tags":[{"name","status":"added|removed|changed","changeNumber":[OLD,NEW],
                   "added":[...],"removed":[...],"metadata":{...}}],
          "anomalies":[{"kind","tag","message"}]}
        Tags sorted by name (byte order); prefixes canonical, IPv4 first, then by address and
        length. changeNumber is null where absent (the OLD side of an added tag). "metadata" holds
        only the fields that changed, each as [OLD, NEW], e.g. {"region":["eastus","eastus2"],
        "regionId":[null,21],"networkFeatures":[["API"],["API","NSG"]]}; it is {} when nothing
        changed, and for added and removed tags.

        Address counts (all formats): the addresses gained and lost over the union of the
        selected tags (every tag without --tag), in either mode; IPv6 counts are decimal strings
        in the JSON.

        Warnings (stderr, and listed in the text, markdown and JSON reports): anomalies of the
        publication. Kinds: changeNumberDecreased (NEW's is lower; for the file it asks "are the
        files swapped?" only when the dates in the file names are reversed too),
        changedWithoutChangeNumber (prefixes changed but the changeNumber did not),
        changeNumberWithoutChange (the changeNumber changed but the prefixes did not; for the file
        only when every tag is compared). "tag" is null for the file as a whole. --strict makes any
        of them an error: the report is written, then exit 2. OLD and NEW from different clouds is
        an error unless --allow-cloud-mismatch (then only a warning, cloudMismatch, which --strict
        does not count). An exact --tag name or a glob that matches no tag in either file is
        an error.

        Firewall deltas: --format DELTA, one of
          \(DiffOutput.deltaFormats.joined(separator: ", "))
        writes the commands that turn what 'stag export TAG --data OLD --format DELTA [OPTIONS]'
        loaded into what the same command loads for NEW, for each selected tag (every tag in
        either file without --tag). Each tag keeps its own objects (sets, lists, groups, rules),
        named as 'stag export' names them for that tag alone; pass the options you exported with:
        --exclude, --ipv4 | --ipv6, --aggregate, --max-entries and the rule options. One section
        per tag whose objects change, in name order. With --name the selection is one union:
        'stag diff OLD NEW --tag A --tag 'B.*' --name corp --format nft' turns what
        'stag export A 'B.*' --name corp --format nft' loaded from OLD into what it loads from
        NEW (a tag that joins or leaves the selection adds or removes its prefixes). A tag new in NEW (or
        empty in OLD's selected families) is created: nft and ipset get its full list. A tag gone
        from NEW is compared with an empty list: nft and ipset empty its sets (rules may use them),
        the other formats delete its objects. Deltas always compare the lists 'stag export'
        writes: the listed prefixes, or minimal covers with --aggregate or --exclude. So
        --semantic does not apply (an error): for address-space deltas, export and diff with
        --aggregate. Formats without an incremental syntax (txt, csv, azure-ipgroup,
        paloalto-edl, terraform) are an error: export NEW in full instead. Exporter warnings go
        to stderr. Exit status 0 and no output when no object changes (metadata or change
        numbers alone change nothing), 1 when there are commands to apply.

        Exit status: 0 no differences, 1 differences, 2 error.
        """,
        run: { args throws(CLIError) in try run(Options(args)) }, operands: .files)

    static let semantic = OptionSpec(name: "--semantic", kind: .flag, help: "compare address space instead of listed prefixes")
    static let format = OptionSpec(name: "--format", kind: .value, valueName: "FMT",
                                   help: "text (default), json (same as --json), markdown, or a firewall delta format (see below)",
                                   values: .words(["text", "json", "markdown"] + DiffOutput.deltaFormats))
    static let previous = OptionSpec(name: "--previous", kind: .flag,
                                     help: "compare the two newest files 'stag fetch' stored (same cloud) instead of OLD NEW")
    static let allowCloudMismatch = OptionSpec(name: "--allow-cloud-mismatch", kind: .flag,
                                               help: "compare files from different clouds (otherwise an error)")
    static let strict = OptionSpec(name: "--strict", kind: .flag,
                                   help: "exit 2 after writing the report if the publication has an anomaly (see Warnings)")

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        let (oldPath, newPath) = try options.previous
            ? CacheDirectory.previousPair(cloud: options.cloud) : (options.old, options.new)
        let tags = options.tags, delta = options.delta
        // Opened before the data is read: a bad target fails fast, and a run interrupted while it
        // reads (`-` for OLD or NEW) removes its temporary file (see `AtomicFile`).
        let output = try options.output.flatMap { path throws(CLIError) in
            path == "-" ? nil : try AtomicFile(path: path, command: "diff")
        }

        let old = try DataSource.load(oldPath)
        let new = try DataSource.load(newPath)
        if old.cloud != new.cloud {
            let message = "OLD is from cloud '\(HumanText.escaped(old.cloud))' but NEW is from cloud '\(HumanText.escaped(new.cloud))'"
            if !options.allowCloudMismatch {
                throw CLIError("diff: \(message); pass --allow-cloud-mismatch to compare them anyway")
            }
        }
        do {
            try tags.check([old.tags.map(\.name), new.tags.map(\.name)], scope: .eitherFile)
        } catch {
            throw CLIError("diff: \(error)")
        }

        let diff = ServiceTagsDiff(old: old, new: new, mode: options.semantic ? .addressSpace : .exact,
                                   selecting: tags.patterns, oldName: oldPath, newName: newPath)
        // The descriptions quote tag names and hold no backslash of their own: escape them whole.
        for anomaly in diff.anomalies { warn("diff: " + HumanText.escaped(anomaly.description)) }
        let bytes: [UInt8]
        let differs: Bool
        if let delta {
            let result: ExportDeltaOutput
            do { result = try Exporter.delta(from: old, to: new, delta) } catch { throw CLIError("diff: \(error)") }
            for warning in result.warnings { warn(warning) }
            (bytes, differs) = (result.bytes, result.changes)
        } else {
            let context = DiffOutput.Context(oldFile: displayName(oldPath), newFile: displayName(newPath))
            (bytes, differs) = (DiffOutput.render(diff, format: options.format, context: context), diff.hasDifferences)
        }
        if let output {
            try output.write(bytes)
            try output.commit()
        } else {
            let out = Output.standardOutput
            out.write(bytes: bytes)
            if !out.flush() { throw CLIError("diff: cannot write to standard output") }
        }
        // After the report: a nightly job keeps what it wrote and still fails loudly.
        let strictCount = diff.anomalies.count(where: \.isPublicationAnomaly)
        if options.strict && strictCount > 0 {
            throw CLIError("diff: --strict: \(strictCount == 1 ? "an anomaly" : "\(strictCount) anomalies") in the publication (warned above)")
        }
        return differs ? ExitCode.notFound : ExitCode.success
    }

    static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
}

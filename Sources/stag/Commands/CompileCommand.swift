import ServiceTags
import StagOptions

/// `stag compile [--data PATH] -o INDEX`
/// `stag compile --archive DIR [--cloud CLOUD] -o HISTORY`
enum CompileCommand {
    static let command = Command(
        name: "compile",
        summary: "Write a compiled index (one file) or a compiled history (an archive of weekly files) that loads without parsing.",
        usage: "stag compile [--data PATH] -o INDEX [--json]\n       stag compile --archive DIR [--cloud CLOUD] -o HISTORY [--json]",
        options: [
            OptionSpec.data,
            archive,
            .cloud,
            OptionSpec.output.with(help: "the index file to write (atomically)"),
            OptionSpec.json,
        ],
        details: """
        Every command that takes --data accepts the index in place of the JSON file (it is
        recognised by its header, not its name) and answers exactly as from that file. The index
        records the source file's SHA-256 and size ('stag info' shows them). A truncated, corrupted
        or wrong-version index is an error (exit 2) that says so; compile again with this command.
        Format: docs/compiled-index.md.
        --json: {"output","bytes","sha256","cloud","changeNumber"} (sha256: of the source file).

        --archive DIR: a compiled history instead, for 'stag history --archive HISTORY': every
        distinct (tag, prefix) of the weekly files of DIR (the files 'stag history --archive DIR'
        reads, same rules: one cloud, or --cloud; dates in the names, none twice) with the runs
        of weeks it was listed in, and each file's name, changeNumber, size and SHA-256. History
        answers from it exactly as from the files. Written into the fetch cache as
        history-<Cloud>.stagh (e.g. -o ~/.cache/stag/history-Public.stagh; 'stag fetch --history'
        does the same), 'stag fetch' rebuilds it whenever it stores a new file of that cloud, and
        'stag history' without --archive uses it while it matches the stored files. Format: docs/compiled-history.md.
        --json: {"output","bytes","files","cloud","from","to"}.

        Exit status: 0 on success, 2 on error.
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    /// What `stag compile` was asked, parsed once.
    struct Options {
        var data: String?
        var archive: String?
        var cloud: ServiceTagsCloud?
        var output: String
        var json: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            if let extra = args.positionals.first { throw CLIError.usage("compile", "unexpected argument '\(extra)'") }
            guard let output = args.value(.output) else { throw CLIError.usage("compile", "give the index file to write with -o INDEX") }
            if output == "-" { throw CLIError.usage("compile", "a compiled index is binary: write it to a file (-o INDEX), not to standard output") }
            self.output = output
            data = args.value(.data)
            archive = args.value(CompileCommand.archive)
            cloud = try CacheDirectory.parseCloud(args.value(.cloud), command: "compile")
            if data != nil && archive != nil { throw CLIError.usage("compile", "--data and --archive cannot be combined: compile one file or an archive") }
            if archive == nil && cloud != nil { throw CLIError.usage("compile", "--cloud chooses the files of --archive DIR; give --archive") }
            if archive?.isEmpty == true { throw CLIError.usage("compile", "empty --archive: give a directory of weekly files") }
            json = args.has(.json)
        }
    }

    static let archive = OptionSpec(name: "--archive", kind: .value, valueName: "DIR",
                                    help: "compile a history of the weekly files ServiceTags_<Cloud>_YYYYMMDD.json in DIR instead", values: .directories)

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        if let dir = options.archive { return try runArchive(dir, options) }
        let output = options.output
        let path = try DataSource.resolve(options.data)
        // The index is built and laid out (on two cores) while the source's SHA-256 is still being computed.
        var built: Result<CompiledIndexSections, CompiledIndexError>? = nil
        let (file, digest) = try DataSource.loadHashing(path) { file in built = Result { () throws(CompiledIndexError) in try CompiledIndex.sections(compiling: file) } }
        guard let sha = CompiledIndex.sha256Bytes(hex: digest.sha256), let built else {
            throw CLIError("compile: internal error: bad digest \(digest.sha256)")
        }
        let parts: CompiledFileParts
        do {
            parts = try built.get().parts(sourceSHA256: sha, sourceSize: digest.size)
        } catch {
            throw CLIError("compile: \(error)")
        }
        let target = try AtomicFile(path: output, command: "compile")
        try parts.forEachPiece { (piece) throws(CLIError) in try target.write(piece) }
        try target.commit()
        let out = Output.standardOutput
        if options.json {
            out.line(JSONText.object([
                ("output", JSONText.string(output)), ("bytes", String(parts.count)), ("sha256", JSONText.string(digest.sha256)),
                ("cloud", JSONText.string(file.cloud)), ("changeNumber", JSONText.number(file.changeNumber)),
            ]))
        }
        out.flush()
        return ExitCode.success
    }
}

import ServiceTags
import StagOptions

/// `stag compile [--data PATH] -o INDEX`
enum CompileCommand {
    static let command = Command(
        name: "compile",
        summary: "Write a compiled index: the data and its lookup index in one file that loads without parsing.",
        usage: "stag compile [--data PATH] -o INDEX [--json]",
        options: [
            OptionSpec.data,
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

        Exit status: 0 on success, 2 on error.
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    /// What `stag compile` was asked, parsed once.
    struct Options {
        var data: String?
        var output: String
        var json: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            if let extra = args.positionals.first { throw CLIError.usage("compile", "unexpected argument '\(extra)'") }
            guard let output = args.value(.output) else { throw CLIError.usage("compile", "give the index file to write with -o INDEX") }
            if output == "-" { throw CLIError.usage("compile", "a compiled index is binary: write it to a file (-o INDEX), not to standard output") }
            self.output = output
            data = args.value(.data)
            json = args.has(.json)
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        let output = options.output
        let path = try DataSource.resolve(options.data)
        let (file, digest) = try DataSource.loadHashing(path)
        guard let sha = CompiledIndex.sha256Bytes(hex: digest.sha256) else { throw CLIError("compile: internal error: bad digest \(digest.sha256)") }
        let bytes: [UInt8]
        do {
            bytes = try CompiledIndex.compile(file, sourceSHA256: sha, sourceSize: digest.size)
        } catch {
            throw CLIError("compile: \(error)")
        }
        try AtomicFile.write(bytes, to: output, command: "compile")
        let out = Output.standardOutput
        if options.json {
            out.line(JSONText.object([
                ("output", JSONText.string(output)), ("bytes", String(bytes.count)), ("sha256", JSONText.string(digest.sha256)),
                ("cloud", JSONText.string(file.cloud)), ("changeNumber", JSONText.number(file.changeNumber)),
            ]))
        }
        out.flush()
        return ExitCode.success
    }
}

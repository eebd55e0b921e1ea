import ServiceTags
import StagOptions

/// `stag completion bash|zsh|fish`, and `stag completion --tags [--data PATH]`, which the scripts
/// call at TAB time for tag names.
enum CompletionCommand {
    static let tags = OptionSpec(name: "--tags", kind: .flag,
                                 help: "print the data's tag names, one per line (what the scripts run; prints nothing when there is no data)")

    static let command = Command(
        name: "completion",
        summary: "Print a completion script for bash, zsh or fish (commands, options, formats, and tag names from the data).",
        usage: "stag completion bash|zsh|fish\n       stag completion --tags [--data PATH]",
        options: [tags, .data],
        details: """
        Arguments:
          bash, zsh, fish   the shell to print the script for

        Install (docs/install.sh does this under $PREFIX/share):
          bash  stag completion bash > /etc/bash_completion.d/stag, or source <(stag completion bash)
          zsh   stag completion zsh > DIR/_stag, DIR a directory in $fpath
          fish  stag completion fish > ~/.config/fish/completions/stag.fish

        The scripts complete commands, options, export and diff formats, --cloud and the rule
        options' values, paths, and tag names, which they read when TAB is pressed by running
        'stag completion --tags' with the --data of the command line (if any). Reading the data
        once per TAB costs what 'stag tags' costs; a compiled index (stag compile) is quickest.

        Exit status: 0; 2 for an unknown shell. --tags exits 0 even without data, printing nothing.
        """,
        run: { args throws(CLIError) in try run(Options(args)) }, operands: .words(Completion.Shell.allCases.map(\.rawValue)))

    /// What `stag completion` was asked: a shell's script, or (`--tags`) the data's tag names.
    enum Options {
        case script(Completion.Shell)
        case tagNames(data: String?)

        init(_ args: ParsedArguments) throws(CLIError) {
            if args.has(CompletionCommand.tags) {
                if let extra = args.positionals.first { throw CLIError.usage("completion", "unexpected argument '\(extra)' with --tags") }
                self = .tagNames(data: args.value(.data))
                return
            }
            if args.value(.data) != nil { throw CLIError.usage("completion", "--data needs --tags") }
            let shells = Completion.Shell.allCases.map(\.rawValue).joined(separator: ", ")
            guard args.positionals.count == 1 else {
                throw CLIError.usage("completion", args.positionals.isEmpty ? "name a shell: \(shells)" : "name one shell: \(shells)")
            }
            guard let shell = Completion.Shell(rawValue: args.positionals[0]) else {
                throw CLIError.usage("completion", "unknown shell '\(HumanText.escaped(args.positionals[0]))'; choose one of \(shells)")
            }
            self = .script(shell)
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        switch options {
        case .tagNames(let data):
            return printTagNames(data: data)
        case .script(let shell):
            Output.standardOutput.write(Completion.script(for: shell, commands: allCommands(), version: version))
            return ExitCode.success
        }
    }

    /// The tag names, sorted, one per line; nothing (and exit 0) when the data is missing or bad,
    /// since the caller is a shell in the middle of completing a word.
    /// - Complexity: one load of the data, as `stag tags`.
    static func printTagNames(data: String?) -> Int32 {
        guard data != "-", let file = try? DataSource.load(data) else { return ExitCode.success }
        let names = Set(file.tags.map(\.name)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // Names come from the data: one with a control character or white space could not be one
        // shell word, so it is left out rather than split or escaped into something else.
        for name in names where !name.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            Output.standardOutput.line(name)
        }
        return ExitCode.success
    }
}

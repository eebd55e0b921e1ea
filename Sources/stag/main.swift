#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// `stag COMMAND [OPTIONS] [ARGS]`: see `stag --help` and `../shared/reference/cli.md`.
let version = "0.1.0"

/// `stag --version`: the version and the compiled-index format it reads (`stag compile` writes it;
/// an index of another version is refused with a message that says so).
let versionLine = "stag \(version) (compiled index format \(CompiledIndex.formatVersion), compiled history format \(CompiledHistory.formatVersion))"

/// Every command, in the order help lists them. A command's table (`X.command`, a lazily
/// initialised static) is built on first use: a run builds only its own, not all twelve (diff's
/// alone, with the export formats it names, was a tenth of a `stag lookup` process's start-up).
let commandTable: [(name: String, command: @Sendable () -> Command)] = [
    ("lookup", { LookupCommand.command }), ("tags", { TagsCommand.command }), ("info", { InfoCommand.command }),
    ("diff", { DiffCommand.command }), ("export", { ExportCommand.command }), ("grep", { GrepCommand.command }),
    ("compile", { CompileCommand.command }), ("history", { HistoryCommand.command }), ("suggest", { SuggestCommand.command }),
    ("fetch", { FetchCommand.command }), ("completion", { CompletionCommand.command }), ("man", { ManCommand.command }),
]

/// All commands built (help, completion scripts, the man page).
func allCommands() -> [Command] { commandTable.map { $0.command() } }

/// The command called `name`, building only that one.
func command(named name: String) -> Command? {
    guard let entry = commandTable.first(where: { $0.name == name }) else { return nil }
    let command = entry.command()
    assert(command.name == name, "commandTable names \(name) for the command \(command.name)")
    return command
}

func topLevelHelp() -> String {
    let commands = allCommands()
    let width = commands.map(\.name.count).max() ?? 0
    var s = """
    stag \(version): answers about Azure Service Tags: which tags contain an address, what changed
    between two weekly files, and prefix lists for firewalls.

    Usage: stag COMMAND [OPTIONS] [ARGS]

    Commands:

    """
    for c in commands { s += "  " + c.name + String(repeating: " ", count: width - c.name.count + 2) + c.summary + "\n" }
    s += """

    Options: --help (also 'stag help COMMAND' and 'stag COMMAND --help'), --version.

    Data: --data PATH (a ServiceTags JSON file, a compiled index, or - for stdin), else $STAG_DATA, else the newest
    file that 'stag fetch' stored in $STAG_CACHE_DIR, $XDG_CACHE_HOME/stag or ~/.cache/stag.

    Exit status: 0 success (found / no differences), 1 nothing found / differences found, 2 error.

    """
    return s
}

func runMain(_ argv: [String]) -> Int32 {
    guard let first = argv.first else {
        Output.standardError.write(topLevelHelp())
        Output.standardError.flush()
        return ExitCode.failure
    }
    switch first {
    case "--help", "-h":
        Output.standardOutput.write(topLevelHelp()); return finish(ExitCode.success)
    case "--version":
        Output.standardOutput.line(versionLine); return finish(ExitCode.success)
    case "help":
        guard argv.count > 1, argv[1] != "--help", argv[1] != "-h" else { Output.standardOutput.write(topLevelHelp()); return finish(ExitCode.success) }
        guard let c = command(named: argv[1]) else {
            return report(CLIError.usage("", "unknown command '\(argv[1])'" + hint(argv[1])))
        }
        Output.standardOutput.write(c.helpText)
        return finish(ExitCode.success)
    default:
        break
    }
    guard let command = command(named: first) else {
        let what = first.hasPrefix("-") ? "unknown option '\(first)'" : "unknown command '\(first)'"
        return report(CLIError.usage("", what + hint(first)))
    }
    let rest = Array(argv.dropFirst())
    let beforeSeparator = rest.prefix { $0 != "--" }
    // `-h` is help unless the command gives it a meaning of its own (grep's --no-filename).
    let helpShort = command.options.contains { $0.short == "-h" } ? [] : ["-h"]
    if beforeSeparator.contains("--help") || beforeSeparator.contains(where: helpShort.contains) {
        Output.standardOutput.write(command.helpText)
        return finish(ExitCode.success, command: command.name)
    }
    do {
        return finish(try command.run(try command.parse(rest)), command: command.name)
    } catch {
        return report(error.prefixed(command.name))
    }
}

/// Flushes the results; if any write to stdout failed, the run failed (exit 2), whatever it found:
/// a script must not take a lost answer for "nothing found" or for success.
func finish(_ status: Int32, command: String = "") -> Int32 {
    if Output.standardOutput.flush() { return status }
    return report(CLIError((command.isEmpty ? "" : command + ": ") + "cannot write to standard output"))
}

func hint(_ name: String) -> String {
    NearNames.suggestions(for: name, in: commandTable.map(\.name), limit: 1).first.map { " (did you mean '\($0)'?)" } ?? ""
}

func report(_ error: CLIError) -> Int32 {
    Output.standardOutput.flush()
    // The last guard before the terminal: messages quote data and arguments (escaped where they
    // are quoted); no control character or bidi override reaches stderr raw even if one slipped.
    Output.standardError.line(HumanText.sanitized("stag: " + error.message))
    Output.standardError.flush()
    return error.exitCode
}

exit(runMain(Array(CommandLine.arguments.dropFirst())))

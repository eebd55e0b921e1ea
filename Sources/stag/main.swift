#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// `stag COMMAND [OPTIONS] [ARGS]`: see `stag --help` and `../shared/reference/cli.md`.
let version = "0.1.0"

/// `stag --version`: the version and the compiled-index format it reads (`stag compile` writes it;
/// an index of another version is refused with a message that says so).
let versionLine = "stag \(version) (compiled index format \(CompiledIndex.formatVersion), compiled history format \(CompiledHistory.formatVersion))"

let allCommands: [Command] = [
    LookupCommand.command, TagsCommand.command, InfoCommand.command, DiffCommand.command, ExportCommand.command,
    GrepCommand.command, CompileCommand.command, HistoryCommand.command, SuggestCommand.command,
    FetchCommand.command, CompletionCommand.command, ManCommand.command,
]

func topLevelHelp() -> String {
    let width = allCommands.map(\.name.count).max() ?? 0
    var s = """
    stag \(version): answers about Azure Service Tags: which tags contain an address, what changed
    between two weekly files, and prefix lists for firewalls.

    Usage: stag COMMAND [OPTIONS] [ARGS]

    Commands:

    """
    for c in allCommands { s += "  " + c.name + String(repeating: " ", count: width - c.name.count + 2) + c.summary + "\n" }
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
        guard let c = allCommands.first(where: { $0.name == argv[1] }) else {
            return report(CLIError.usage("", "unknown command '\(argv[1])'" + hint(argv[1])))
        }
        Output.standardOutput.write(c.helpText)
        return finish(ExitCode.success)
    default:
        break
    }
    guard let command = allCommands.first(where: { $0.name == first }) else {
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
    NearNames.suggestions(for: name, in: allCommands.map(\.name), limit: 1).first.map { " (did you mean '\($0)'?)" } ?? ""
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

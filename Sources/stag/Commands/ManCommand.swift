import ServiceTags
import StagOptions

/// `stag man`: the man page, roff, generated from the command specs (see `ManPage`).
enum ManCommand {
    static let command = Command(
        name: "man",
        summary: "Print the manual page (roff), made from the same specs as --help.",
        usage: "stag man",
        options: [],
        details: """
        docs/install.sh installs it as $PREFIX/share/man/man1/stag.1. To read it without
        installing: stag man | man -l -
        """,
        run: run)

    static func run(_ args: ParsedArguments) throws(CLIError) -> Int32 {
        if let extra = args.positionals.first { throw CLIError.usage("man", "unexpected argument '\(HumanText.escaped(extra))'") }
        Output.standardOutput.write(ManPage.render(commands: allCommands(), version: version))
        return ExitCode.success
    }
}

import StagOptions
/// Shell completion scripts generated from the command specs (`Command`, `OptionSpec` and their
/// `CompletionValues`), one generator per shell in `Completion+Bash.swift`, `+Zsh`, `+Fish`.
///
/// Every script offers the commands, each command's options (with `--help`), fixed value lists
/// (formats, clouds, rule options), files and directories where a path is wanted, and tag names,
/// which it gets at TAB time from `stag completion --tags [--data PATH]` (with the `--data` of the
/// command line being completed, never `-`, and stdin closed): that prints nothing, successfully,
/// when there is no data, so completion never fails or prints an error into the prompt.
enum Completion {
    enum Shell: String, CaseIterable { case bash, zsh, fish }

    /// The script for `shell`.
    /// - Complexity: O(total number of options and values).
    static func script(for shell: Shell, commands: [Command], version: String) -> String {
        switch shell {
        case .bash: bash(commands, version: version)
        case .zsh: zsh(commands, version: version)
        case .fish: fish(commands, version: version)
        }
    }

    /// The options `stag COMMAND` accepts, as its help lists them (with `--help`).
    static func options(of c: Command) -> [OptionSpec] { c.options + [c.helpOption] }

    /// The options accepted before a command.
    static let topLevelOptions: [(name: String, help: String)] = [
        ("--help", "list the commands"), ("--version", "print the version"),
    ]

    /// `help COMMAND` is not a command spec but completes like one.
    static let helpSummary = "show the help of a command"
}

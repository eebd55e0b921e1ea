/// An error for the user: a one-line message saying what was wrong and how to fix it, and the exit
/// code. Only `main` prints it (to stderr), prefixed with `stag: `.
struct CLIError: Error {
    var message: String
    var exitCode: Int32 = 2

    init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The error as `main` prints it for `command`: every line starts `stag: COMMAND: ` (cli.md),
    /// whichever layer (data loading, the cache, the parser) raised it.
    func prefixed(_ command: String) -> CLIError {
        message.hasPrefix(command + ": ") ? self : CLIError(command + ": " + message, exitCode: exitCode)
    }

    static func usage(_ command: String, _ message: String) -> CLIError {
        let helpHint = command.isEmpty ? "stag --help" : "stag \(command) --help"
        return CLIError("\(command.isEmpty ? "" : command + ": ")\(message) (see '\(helpHint)')")
    }
}

/// Exit codes of every command (`../shared/reference/cli.md`), like grep and diff.
enum ExitCode {
    /// Found, or no differences.
    static let success: Int32 = 0
    /// Nothing found, or differences found.
    static let notFound: Int32 = 1
    /// Any error: usage, unreadable or malformed data, I/O, network.
    static let failure: Int32 = 2
}

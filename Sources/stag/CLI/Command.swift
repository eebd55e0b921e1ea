import StagOptions

/// One `stag` command: its help and its body. Commands parse, validate, then run, and return the
/// exit code; they throw `CLIError` for anything the user must fix.
struct Command: Sendable {
    var name: String
    var summary: String
    var usage: String
    var options: [OptionSpec]
    /// Paragraphs after the options in `--help`: arguments, output, exit codes.
    var details: String
    var run: @Sendable (ParsedArguments) throws(CLIError) -> Int32
    /// What completion offers for the positional arguments.
    var operands: CompletionValues = .none

    static let help = OptionSpec(name: "--help", short: "-h", kind: .flag, help: "show this help")

    /// `--help`, and `-h` unless the command uses `-h` itself.
    var helpOption: OptionSpec {
        var o = Command.help
        if options.contains(where: { $0.short == "-h" }) { o.short = nil }
        return o
    }

    var helpText: String {
        var s = "Usage: \(usage)\n\n\(summary)\n\nOptions:\n"
        let all = options + [helpOption]
        let labels = all.map { o in
            (o.short.map { "\($0), " } ?? "") + o.name + (o.valueName.isEmpty ? "" : " \(o.valueName)")
        }
        let width = labels.map(\.count).max() ?? 0
        for (label, o) in zip(labels, all) {
            s += "  " + label + String(repeating: " ", count: width - label.count + 2) + o.help + "\n"
        }
        if !details.isEmpty { s += "\n" + details + "\n" }
        return s
    }

    func parse(_ arguments: [String]) throws(CLIError) -> ParsedArguments {
        do { return try ArgumentParser.parse(arguments, options: options + [helpOption]) } catch { throw CLIError.usage(name, error.message) }
    }
}

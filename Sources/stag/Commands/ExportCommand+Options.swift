import ServiceTags

/// The export options `stag export` and `stag diff --format` share, checked the same way by both
/// (the error names the command) and before any data is read.
extension ExportCommand {
    /// `--ipv4`, `--ipv6` or neither (both families).
    /// - Throws: `CLIError` (exit 2) when both are given.
    static func families(_ args: ParsedArguments, command: String) throws(CLIError) -> ExportFamilies {
        if args.has("--ipv4") && args.has("--ipv6") {
            throw CLIError.usage(command, "--ipv4 and --ipv6 exclude each other; give neither for both families")
        }
        return args.has("--ipv4") ? .ipv4 : args.has("--ipv6") ? .ipv6 : .both
    }

    /// `--name` and `--max-entries`, the name checked against `format`.
    /// - Throws: `CLIError` (exit 2) for a `--max-entries` below 1 or not a number, or a `--name`
    ///   the target rejects.
    static func options(_ args: ParsedArguments, for format: any ExportFormat, command: String) throws(CLIError) -> ExportOptions {
        var options = ExportOptions(name: args.value("--name"))
        if let text = args.value("--max-entries") {
            guard let n = Int(text), n >= 1 else {
                throw CLIError.usage(command, "--max-entries needs a whole number of at least 1, got '\(text)'")
            }
            options.maxEntries = n
        }
        if let name = options.name {
            do { try Exporter.checkName(name, for: format) } catch { throw CLIError("\(command): \(error)") }
        }
        return options
    }
}

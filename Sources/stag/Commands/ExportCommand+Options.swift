import ServiceTags
import StagOptions

/// The export options `stag export` and `stag diff --format` share, checked the same way by both
/// (the error names the command) and before any data is read.
extension ExportCommand {
    /// What `stag export` was asked, parsed and checked once, before any data is read.
    struct Options {
        var data: String?
        var output: String?
        var format: any ExportFormat
        var selection: ExportSelection
        var export: ExportOptions

        init(_ args: ParsedArguments) throws(CLIError) {
            if args.positionals.isEmpty { throw CLIError.usage("export", "expected one or more tag names or globs") }
            let families = try ExportCommand.families(args, command: "export")
            format = try ExportCommand.format(args)
            export = try ExportCommand.options(args, for: format, command: "export")
            selection = ExportSelection(include: TagSelection(texts: args.positionals), exclude: TagSelection(texts: args.all(.exclude)),
                                        families: families, aggregate: args.has(.aggregate))
            output = args.value(.output)
            data = args.value(.data)
        }
    }

    /// `--ipv4`, `--ipv6` or neither (both families).
    /// - Throws: `CLIError` (exit 2) when both are given.
    static func families(_ args: ParsedArguments, command: String) throws(CLIError) -> ExportFamilies {
        if args.has(.ipv4) && args.has(.ipv6) {
            throw CLIError.usage(command, "--ipv4 and --ipv6 exclude each other; give neither for both families")
        }
        return args.has(.ipv4) ? .ipv4 : args.has(.ipv6) ? .ipv6 : .both
    }

    /// `--name` and `--max-entries`, the name checked against `format`.
    /// - Throws: `CLIError` (exit 2) for a `--max-entries` below 1 or not a number, or a `--name`
    ///   the target rejects.
    static func options(_ args: ParsedArguments, for format: any ExportFormat, command: String) throws(CLIError) -> ExportOptions {
        var options = ExportOptions(name: args.value(.objectName))
        if let text = args.value(.maxEntries) {
            guard let n = Int(text), n >= 1 else {
                throw CLIError.usage(command, "--max-entries needs a whole number of at least 1, got '\(text)'")
            }
            options.maxEntries = n
        }
        if let name = options.name {
            do { try Exporter.checkName(name, for: format) } catch { throw CLIError("\(command): \(error)") }
        }
        options.rule = try rule(args, for: format, command: command)
        return options
    }

    /// `--direction`, `--protocol`, `--port`, `--action`, `--profile`, `--chain` as the library's
    /// `FirewallRule` (which parses and checks them); nil when none is given. Whether `format`
    /// takes the options given is checked first, so `--port` for `txt` says that txt has no rules.
    /// - Throws: `CLIError` (exit 2) for an option the format does not take or a value the rule
    ///   rejects.
    static func rule(_ args: ParsedArguments, for format: any ExportFormat, command: String) throws(CLIError) -> FirewallRule? {
        var values: [FirewallRule.Option: String] = [:]
        for option in FirewallRule.Option.allCases { if let v = args.value(OptionSpec.rule(option)) { values[option] = v } }
        if values.isEmpty { return nil }
        var given = FirewallRule()
        given.given = Set(values.keys)
        given.chain = values[.chain]
        do { try Exporter.checkRule(given, for: format) } catch { throw CLIError("\(command): " + HumanText.escaped(error.description)) }
        do { return try FirewallRule(parsing: values) } catch { throw CLIError.usage(command, HumanText.escaped(error.description)) }
    }

    /// The rule options' specs, shared by `stag export` and `stag diff` (`prefix` marks diff's
    /// delta-only options).
    static func ruleOptionSpecs(prefix: String = "") -> [OptionSpec] {
        FirewallRule.Option.allCases.map { OptionSpec.rule($0, helpPrefix: prefix) }
    }
}

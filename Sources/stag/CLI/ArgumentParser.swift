/// A command's options, as the parser and the help text see them.
import ServiceTags

struct OptionSpec: Sendable {
    enum Kind: Sendable { case flag, value, repeatable }
    var name: String            // "--data"
    var short: String? = nil    // "-o"
    var kind: Kind
    var valueName: String = ""
    var help: String
    /// What completion offers for the value (nothing for a flag).
    var values: CompletionValues = .none
}

/// What the parser found: options by long name, and positional arguments in order.
struct ParsedArguments {
    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    var positionals: [String] = []

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
}

/// Hand-written parsing in the order-free style of `cli.md`: options and arguments may come in any
/// order, `--name=value` and `--name value` are the same, `--` ends the options, and a lone `-` is an
/// argument (standard input).
enum ArgumentParser {
    static func parse(_ arguments: [String], command: String, options: [OptionSpec]) throws(CLIError) -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        var optionsEnded = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") {
                result.positionals.append(arg)
                continue
            }
            if arg == "--" { optionsEnded = true; continue }
            var name = arg
            var inlineValue: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            guard let spec = options.first(where: { $0.name == name || $0.short == name }) else {
                if Self.looksLikeNegativeNumber(arg) { result.positionals.append(arg); continue }
                // Bundled short flags, as grep takes them: `-cn` is `-c -n`.
                if let flags = Self.bundledFlags(arg, options) { result.flags.formUnion(flags); continue }
                let names = options.map(\.name) + options.compactMap(\.short)
                let hint = NearNames.suggestions(for: name, in: names, limit: 1).first.map { " (did you mean '\($0)'?)" } ?? ""
                throw CLIError.usage(command, "unknown option '\(name)'\(hint)")
            }
            switch spec.kind {
            case .flag:
                if inlineValue != nil { throw CLIError.usage(command, "option '\(spec.name)' takes no value") }
                result.flags.insert(spec.name)
            case .value, .repeatable:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i < arguments.count else {
                        throw CLIError.usage(command, "option '\(spec.name)' needs a value\(spec.valueName.isEmpty ? "" : " (\(spec.valueName))")")
                    }
                    value = arguments[i]
                    i += 1
                }
                if spec.kind == .value, result.values[spec.name] != nil {
                    throw CLIError.usage(command, "option '\(spec.name)' given more than once")
                }
                result.values[spec.name, default: []].append(value)
            }
        }
        return result
    }

    /// The long names of `-xyz`'s flags, if every letter is a short flag option.
    private static func bundledFlags(_ arg: String, _ options: [OptionSpec]) -> [String]? {
        guard arg.count > 2, !arg.hasPrefix("--") else { return nil }
        var names: [String] = []
        for c in arg.dropFirst() {
            guard let spec = options.first(where: { $0.short == "-" + String(c) }), spec.kind == .flag else { return nil }
            names.append(spec.name)
        }
        return names
    }

    private static func looksLikeNegativeNumber(_ s: String) -> Bool {
        s.count > 1 && s.dropFirst().allSatisfy { $0.isNumber }
    }
}

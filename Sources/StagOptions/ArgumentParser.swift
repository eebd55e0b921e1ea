import ServiceTags

/// A command's options, as the parser, the help text, the man page and the completions see them.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable { case flag, value, repeatable }
    /// `--data`.
    public var name: String
    /// `-o`.
    public var short: String?
    public var kind: Kind
    /// `PATH` in `--data PATH`; empty for flags.
    public var valueName: String
    public var help: String
    /// What completion offers for the value (nothing for a flag).
    public var values: CompletionValues

    public init(name: String, short: String? = nil, kind: Kind, valueName: String = "", help: String, values: CompletionValues = .none) {
        self.name = name
        self.short = short
        self.kind = kind
        self.valueName = valueName
        self.help = help
        self.values = values
    }
}

/// What the parser found: options by long name, and positional arguments in order.
///
/// Options are read back by spec, never by string: the commands hold their `OptionSpec`s as
/// constants, so a misspelt option is a compile error rather than a silent `false`.
public struct ParsedArguments: Sendable {
    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    public internal(set) var positionals: [String] = []

    public func has(_ option: OptionSpec) -> Bool { flags.contains(option.name) }
    public func value(_ option: OptionSpec) -> String? { values[option.name]?.last }
    public func all(_ option: OptionSpec) -> [String] { values[option.name] ?? [] }
    /// Whether `option` was given at all (a flag, or a value option with a value).
    public func gave(_ option: OptionSpec) -> Bool { flags.contains(option.name) || values[option.name] != nil }
}

/// A command line the parser rejects; `message` says what and, where it can, suggests a near option.
public struct ArgumentError: Error, Sendable {
    public var message: String
}

/// Hand-written parsing in the order-free style of `cli.md`: options and arguments may come in any
/// order, `--name=value` and `--name value` are the same, `--` ends the options, and a lone `-` is an
/// argument (standard input). `stag` and `stag-fetch` both parse with it.
public enum ArgumentParser {
    /// - Throws: `ArgumentError` for an unknown option (with the nearest known one), a missing or
    ///   unexpected value, or a single-value option given twice.
    /// - Complexity: O(arguments · options).
    public static func parse(_ arguments: [String], options: [OptionSpec]) throws(ArgumentError) -> ParsedArguments {
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
                throw ArgumentError(message: "unknown option '\(name)'\(hint)")
            }
            switch spec.kind {
            case .flag:
                if inlineValue != nil { throw ArgumentError(message: "option '\(spec.name)' takes no value") }
                result.flags.insert(spec.name)
            case .value, .repeatable:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i < arguments.count else {
                        throw ArgumentError(message: "option '\(spec.name)' needs a value\(spec.valueName.isEmpty ? "" : " (\(spec.valueName))")")
                    }
                    value = arguments[i]
                    i += 1
                }
                if spec.kind == .value, result.values[spec.name] != nil {
                    throw ArgumentError(message: "option '\(spec.name)' given more than once")
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

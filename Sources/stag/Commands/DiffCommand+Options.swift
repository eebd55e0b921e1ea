import ServiceTags
import StagOptions

extension DiffCommand {
    /// What `stag diff` was asked, parsed and checked once, before either file is read.
    struct Options {
        /// OLD and NEW as given (empty with `--previous`, which picks them from the cache).
        var old = "", new = ""
        var previous: Bool
        var cloud: ServiceTagsCloud?
        var tags: TagSelection
        var semantic: Bool
        var format: DiffOutput.Format
        /// The delta to write, for a delta `--format`.
        var delta: ExportDeltaRequest?
        var output: String?
        var strict: Bool
        var allowCloudMismatch: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            previous = args.has(DiffCommand.previous)
            cloud = try CacheDirectory.parseCloud(args.value(.cloud), command: "diff")
            if previous {
                if let extra = args.positionals.first {
                    throw CLIError.usage("diff", "--previous compares the two newest fetched files; unexpected argument '\(extra)'")
                }
            } else {
                if cloud != nil { throw CLIError.usage("diff", "--cloud applies only with --previous") }
                guard args.positionals.count == 2 else {
                    throw CLIError.usage("diff", args.positionals.count < 2
                        ? "expected two files, OLD and NEW (or --previous)" : "unexpected argument '\(args.positionals[2])'")
                }
                (old, new) = (args.positionals[0], args.positionals[1])
                if old == "-" && new == "-" { throw CLIError.usage("diff", "only one of OLD and NEW can be read from standard input") }
            }
            tags = TagSelection(texts: args.all(.tag))
            semantic = args.has(DiffCommand.semantic)
            format = try Self.outputFormat(args)
            if case .delta(let id) = format {
                delta = try DiffOutput.deltaRequest(id, args, tags: tags)
            } else if let option = DiffOutput.deltaOnlyOptions.first(where: args.gave) {
                throw CLIError.usage("diff", "\(option.name) applies only with a delta --format (\(DiffOutput.deltaFormats.joined(separator: ", ")))")
            }
            output = args.value(.output)
            strict = args.has(DiffCommand.strict)
            allowCloudMismatch = args.has(DiffCommand.allowCloudMismatch)
        }

        /// `--json` and `--format` resolved to one format.
        static func outputFormat(_ args: ParsedArguments) throws(CLIError) -> DiffOutput.Format {
            let named = args.value(DiffCommand.format)
            if args.has(.json) {
                if let named, named != "json" {
                    throw CLIError.usage("diff", "--json and --format \(named) ask for different outputs; give one")
                }
                return .json
            }
            return try DiffOutput.format(named: named ?? "text")
        }
    }
}

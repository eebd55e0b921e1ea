import ServiceTags
import StagOptions

/// `stag diff OLD NEW --format FMT` for the export formats with an incremental syntax: the options
/// parsed and checked before either file is read; the planning is `Exporter.delta` (library).
extension DiffOutput {
    /// The options that only make sense with a delta format (they shape the export lists).
    static let deltaOnlyOptions: [OptionSpec] = [.exclude, .ipv4, .ipv6, .aggregate, .objectName, .maxEntries]
        + FirewallRule.Option.allCases.map { OptionSpec.rule($0) }

    /// The export formats with an incremental syntax, in `stag export --help` order.
    static var deltaCapableFormats: [String] { ExportFormats.all.filter(\.traits.supportsDelta).map(\.id) }

    /// Checks the delta options of `args` for format `id`, as `stag export` checks its own.
    /// - Throws: `CLIError` (exit 2) for `--semantic`, `--ipv4` with `--ipv6`, a bad `--max-entries`
    ///   or a `--name` the target rejects.
    static func deltaRequest(_ id: String, _ args: ParsedArguments, tags: TagSelection) throws(CLIError) -> ExportDeltaRequest {
        guard let format = ExportFormats.named(id), format.traits.supportsDelta else { throw unknownFormat(id) }
        if args.has(DiffCommand.semantic) {
            throw CLIError.usage("diff", "--semantic does not apply to --format \(id): a delta changes the entries 'stag export' "
                + "loaded; for address-space changes, export and diff with --aggregate")
        }
        let families = try ExportCommand.families(args, command: "diff")
        let options = try ExportCommand.options(args, for: format, command: "diff")
        let selection = ExportSelection(include: tags, exclude: TagSelection(texts: args.all(.exclude)),
                                        families: families, aggregate: args.has(.aggregate))
        return ExportDeltaRequest(format: format, selection: selection, options: options)
    }
}

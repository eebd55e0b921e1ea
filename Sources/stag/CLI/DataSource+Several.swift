import ServiceTags
import StagOptions

extension OptionSpec {
    /// `--data` for the commands that take several files at once (`lookup`, `suggest`): Public,
    /// AzureGovernment and China answered together, each answer naming its cloud. The same name
    /// as `data`, so `args.value(.data)` and `args.all(.data)` read it.
    static let severalData = OptionSpec(
        name: "--data", kind: .repeatable, valueName: "PATH",
        help: "ServiceTags JSON file, compiled index (stag compile), or - for standard input; repeatable: several clouds at once (default: $STAG_DATA, then the newest fetched file)",
        values: .files)
    /// `lookup --overlap`.
    static let overlap = OptionSpec(name: "--overlap", kind: .flag,
                                    help: "the tags sharing any address with each prefix (not only containing it), most overlap first")
}

extension DataSource {
    /// One `--data` of several: its index, its tags' metadata, and the label answers carry.
    struct Loaded {
        /// The file's `cloud`, or its path when the file names none.
        var cloud: String
        var file: ServiceTagsFile
        /// The compiled index when the data is one (else nil: callers build or scan).
        var index: TagIndex?
    }

    /// Every `--data` given (none: the default one), loaded in order. At most one may be `-`.
    static func loadSeveral(_ data: [String], command: String) throws(CLIError) -> [Loaded] {
        let paths: [String?] = data.isEmpty ? [nil] : data
        if paths.filter({ $0 == "-" }).count > 1 {
            throw CLIError.usage(command, "standard input (--data -) can be read only once")
        }
        var loaded: [Loaded] = []
        for path in paths {
            let (file, index) = try loadIndexed(path)
            let label = file.cloud.isEmpty ? (path ?? "default data") : file.cloud
            loaded.append(Loaded(cloud: label, file: file, index: index))
        }
        return loaded
    }

    /// Whether standard input carries the data: `--data -`, or `$STAG_DATA` is `-` and no `--data`.
    static func dataFromStandardInput(_ data: [String]) -> Bool {
        data.contains("-") || (data.isEmpty && environment("STAG_DATA") == "-")
    }
}

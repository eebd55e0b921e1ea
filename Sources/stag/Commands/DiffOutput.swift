import ServiceTags

/// Rendering a `ServiceTagsDiff` for `stag diff`: the built-in report formats, and the extension
/// point for firewall delta formats (add/delete elements), which the export code plugs into.
enum DiffOutput {
    /// What `--format` (or `--json`) asked for.
    enum Format: Equatable {
        case text, json, markdown
        /// A firewall format that can express a change (`nft` add/delete element, ...).
        case delta(String)
    }

    /// The report formats this file writes itself.
    static let reportFormats = ["text", "json", "markdown"]

    /// Export formats that can express a delta; each must be handled by `exportDelta`.
    /// Empty until the export writers are wired in.
    static let deltaFormats: [String] = []

    /// Where the two sides came from, as the user named them (`-` reads as `<stdin>`).
    struct Context {
        var oldFile: String
        var newFile: String
    }

    /// The format named by `--format` (or `--json`), checked before any file is read.
    /// - Throws: `CLIError` (exit 2) for an unknown name, listing the known ones.
    static func format(named name: String) throws(CLIError) -> Format {
        switch name {
        case "text": return .text
        case "json": return .json
        case "markdown", "md": return .markdown
        default:
            if deltaFormats.contains(name) { return .delta(name) }
            throw unknownFormat(name)
        }
    }

    static func unknownFormat(_ name: String) -> CLIError {
        let known = reportFormats + deltaFormats
        let near = NearNames.suggestions(for: name, in: known, limit: 1).first.map { "; did you mean '\($0)'?" } ?? ""
        return CLIError.usage("diff", "unknown format '\(name)' (expected \(known.joined(separator: ", ")))\(near)")
    }

    /// The whole output, in memory, so that `-o` can write it atomically and a failure writes nothing.
    static func render(_ diff: ServiceTagsDiff, format: Format, context: Context) throws(CLIError) -> [UInt8] {
        switch format {
        case .text: return text(diff, context: context)
        case .json: return json(diff, context: context)
        case .markdown: return markdown(diff, context: context)
        case .delta(let name): return try exportDelta(format: name, diff: diff, context: context)
        }
    }

    /// The firewall-delta extension point: the changes of `diff` as update statements of the export
    /// format `format` (e.g. nftables `add element` / `delete element` per tag set).
    ///
    /// Contract for implementers: `diff.tags` is sorted by name; use `diff.differences` (the entries
    /// that count in the diff's mode); `added`/`removed` are sorted and duplicate-free, and with
    /// `--semantic` they are minimal covers, which is what a firewall set update wants. Register
    /// the format's name in `deltaFormats` so it is accepted before the files are read.
    /// - Throws: `CLIError` (exit 2) for a format with no delta writer (all of them, for now).
    static func exportDelta(format: String, diff: ServiceTagsDiff, context: Context) throws(CLIError) -> [UInt8] {
        throw unknownFormat(format)
    }
}

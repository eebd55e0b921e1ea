import ServiceTags

/// Rendering a `ServiceTagsDiff` for `stag diff`: the built-in report formats; the firewall delta
/// formats (nft add/delete element, ...) are in `DiffOutput+Delta.swift`.
enum DiffOutput {
    /// What `--format` (or `--json`) asked for.
    enum Format: Equatable {
        case text, json, markdown
        /// A firewall format that can express a change (`nft` add/delete element, ...).
        case delta(String)
    }

    /// The report formats this file writes itself.
    static let reportFormats = ["text", "json", "markdown"]

    /// Export formats that can express a delta (`DiffOutput+Delta.swift` writes them).
    static var deltaFormats: [String] { deltaCapableFormats }

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
            if ExportFormats.named(name) != nil {
                throw CLIError.usage("diff", "\(name) has no incremental syntax, so it cannot express a diff; delta formats: "
                    + deltaFormats.joined(separator: ", ") + " (or export NEW in full with 'stag export')")
            }
            throw unknownFormat(name)
        }
    }

    static func unknownFormat(_ name: String) -> CLIError {
        let known = reportFormats + deltaFormats
        let near = NearNames.suggestions(for: name, in: known, limit: 1).first.map { "; did you mean '\($0)'?" } ?? ""
        return CLIError.usage("diff", "unknown format '\(name)' (expected \(known.joined(separator: ", ")))\(near)")
    }

    /// The whole report, in memory, so that `-o` can write it atomically and a failure writes nothing.
    /// Delta formats need both files and are written by `Exporter.delta(from:to:_:)`.
    static func render(_ diff: ServiceTagsDiff, format: Format, context: Context) -> [UInt8] {
        switch format {
        case .text: return text(diff, context: context)
        case .json: return json(diff, context: context)
        case .markdown: return markdown(diff, context: context)
        case .delta(let name): preconditionFailure("--format \(name) is written from the files, not from the diff")
        }
    }
}

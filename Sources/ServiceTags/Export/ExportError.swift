/// Why an export cannot be produced. Every case is the user's to fix (the CLI exits 2), and the
/// description says how.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A tag name or glob that selects nothing.
    case selection(TagSelectionError)
    /// Nothing left to export (after exclusions and the family filter).
    case emptySelection
    /// `--name` (or a derived name) that the target rejects; `rule` says what it accepts.
    case invalidName(String, format: String, rule: String)
    /// A tag name with characters that are not safe to write into a script for this target.
    case unsafeText(String, format: String)
    /// Two tags of a per-tag delta would write objects of the same name.
    case objectNameCollision(tags: [String], format: String, object: String)
    /// The format only has a full-list syntax.
    case deltaNotSupported(format: String)
    /// The format cannot hold the requested family at all (IPv6 into Azure IP Groups).
    case familyNotSupported(format: String, family: String)
    /// `--name` given for a format without object names.
    case nameNotApplicable(format: String)
    /// A single-list format (no objects to split into) holds more entries than `--max-entries`.
    case tooManyEntries(format: String, count: Int, limit: Int)
    /// `--max-entries` below 1.
    case invalidLimit(Int)
    /// A written line longer than the target reads whole (`ExportTraits.lineLimit`).
    case lineTooLong(format: String, line: Int, length: Int, limit: Int)
    /// A rule option (`--port`, `--profile`, ...) for a format that cannot write it; `writers`
    /// lists the formats that can.
    case ruleNotApplicable(option: String, format: String, writers: [String], writesRules: Bool)
    /// `--protocol icmp` for a target whose rule names one ICMP version but holds both families.
    case icmpNeedsOneFamily(format: String)

    public var description: String {
        switch self {
        case .selection(let error):
            error.description
        case .emptySelection:
            "the selection is empty: no prefix is left after exclusions and the family filter"
        case .invalidName(let name, let format, let rule):
            "name '\(name)' is not valid for \(format): \(rule)"
        case .unsafeText(let text, let format):
            "tag name '\(text)' has characters that are unsafe in a \(format) script (allowed: A-Z a-z 0-9 . _ -)"
        case .objectNameCollision(let tags, let format, let object):
            "tags " + tags.map { "'\($0)'" }.joined(separator: " and ") + " both map to the \(format) object '\(object)'; "
                + "narrow the selection with --tag, or give --name to export them as one union"
        case .deltaNotSupported(let format):
            "\(format) has no incremental syntax; export the full list instead"
        case .familyNotSupported(let format, let family):
            "\(format) cannot hold \(family) prefixes"
        case .nameNotApplicable(let format):
            "\(format) has no named objects, so --name does not apply"
        case .tooManyEntries(let format, let count, let limit):
            "\(count) entries exceed the limit of \(limit) for \(format), which is a single list; use --aggregate or narrow the selection"
        case .lineTooLong(let format, let line, let length, let limit):
            "line \(line) of the \(format) output would be \(length) bytes, over the \(limit) the target reads as one line; nothing was written"
        case .ruleNotApplicable(let option, let format, let writers, let writesRules):
            "\(option): format '\(format)' " + (writesRules ? "has no such rule setting" : "writes no rules")
                + (writers.count == 1 ? "; only \(writers[0]) takes \(option)" : "; use " + writers.dropLast().joined(separator: ", ") + " or " + (writers.last ?? ""))
        case .icmpNeedsOneFamily(let format):
            "--protocol icmp: a \(format) rule names one ICMP version (ICMPv4 or ICMPv6); add --ipv4 or --ipv6"
        case .invalidLimit(let n):
            "--max-entries must be at least 1 (got \(n))"
        }
    }
}

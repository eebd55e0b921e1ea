import ServiceTags

/// `stag diff --format markdown`: a report to paste into a pull request or a chat. The files, the
/// summary table and one row per tag come first, so the overview reads without scrolling; then
/// one section per tag with its prefixes in code blocks (copyable, and never turned into links).
///
/// Data text (names, clouds, metadata values, file names) appears only in inline code spans it
/// cannot leave (`HumanText.markdownCode`): it cannot start a line, so it cannot forge a heading
/// or a row, and a `|` in it cannot add a table column.
extension DiffOutput {
    static func markdown(_ diff: ServiceTagsDiff, context: Context) -> [UInt8] {
        var out = ExportText(capacity: 1 << 14)
        let semantic = diff.mode == .addressSpace
        out.line("## Service tags diff" + (semantic ? " (address space)" : ""))
        out.newline()
        out.line("| | OLD | NEW |")
        out.line("|---|---|---|")
        out.line("| File | \(cell(context.oldFile)) | \(cell(context.newFile)) |")
        out.line("| Cloud | \(cell(diff.old.cloud)) | \(cell(diff.new.cloud)) |")
        out.line("| changeNumber | \(number(diff.old.changeNumber)) | \(number(diff.new.changeNumber)) |")
        out.newline()
        // The table below carries the counts; keep only the notes (or "No differences.").
        let notes = summaryLines(diff).dropFirst(diff.hasDifferences ? 1 : 0)
        for line in notes { out.line(line) }
        if !notes.isEmpty { out.newline() }

        let s = diff.summary
        out.line("| Tags added | Tags removed | Tags changed | Prefixes added | Prefixes removed |"
                 + (semantic ? " Tags re-expressed |" : ""))
        out.line("|---:|---:|---:|---:|---:|" + (semantic ? "---:|" : ""))
        out.line("| \(s.tagsAdded) | \(s.tagsRemoved) | \(s.tagsChanged) | \(s.prefixesAdded) | \(s.prefixesRemoved) |"
                 + (semantic ? " \(s.tagsReexpressed) |" : ""))
        out.newline()
        let a = diff.addresses
        out.line("| | Addresses added | Addresses removed |")
        out.line("|---|---:|---:|")
        out.line("| IPv4 | \(a.ipv4Added) | \(a.ipv4Removed) |")
        out.line("| IPv6 | \(a.ipv6Added) | \(a.ipv6Removed) |")
        if !diff.anomalies.isEmpty {
            out.newline()
            out.line("**Anomalies** (\(diff.anomalies.count)):")
            out.newline()
            // The messages quote tag names: the whole message goes in a code span it cannot leave.
            for anomaly in diff.anomalies { out.line("- \(anomaly.kind): \(code(anomaly.description))") }
        }

        let listed = diff.tags.filter { $0.isDifference || $0.isReexpressed }
        guard !listed.isEmpty else { return out.bytes }
        out.newline()
        out.line("| Tag | Status | changeNumber | Added | Removed |")
        out.line("|---|---|---|---:|---:|")
        for tag in listed {
            let status = tag.isReexpressed ? "re-expressed, no coverage change" : tag.status.rawValue
            out.line("| \(cell(tag.name)) | \(status) | \(changeNumbers(tag)) | \(tag.added.count) | \(tag.removed.count) |")
        }
        for tag in listed where !tag.isReexpressed {
            out.newline()
            section(tag, to: &out)
        }
        return out.bytes
    }

    private static func section(_ tag: TagDiff, to out: inout ExportText) {
        out.line("### \(code(tag.name)) (\(tag.status.rawValue))")
        out.newline()
        out.line("- changeNumber: \(changeNumbers(tag))")
        for change in tag.metadata {
            out.line("- \(change.field.rawValue): \(code(display(change.old))) → \(code(display(change.new)))")
        }
        for (title, list) in [("Added", tag.added), ("Removed", tag.removed)] where !list.isEmpty {
            out.newline()
            out.line("\(title) (\(list.count)):")
            out.newline()
            out.line("```")
            for p in list.ipv4 {
                out.write(p)
                out.newline()
            }
            for p in list.ipv6 {
                out.write(p)
                out.newline()
            }
            out.line("```")
        }
    }

    /// `OLD → NEW`, with a dash for the side that has no such tag.
    private static func changeNumbers(_ tag: TagDiff) -> String {
        let old = tag.status == .added ? "—" : number(tag.oldChangeNumber)
        let new = tag.status == .removed ? "—" : number(tag.newChangeNumber)
        return tag.status == .changed && !tag.changeNumberChanged ? "\(old) (unchanged)" : "\(old) → \(new)"
    }

    /// Data text outside a table (headings, list items): an escaped inline code span.
    static func code(_ text: String) -> String { HumanText.markdownCode(text, inTableCell: false) }

    /// Data text in a table cell: an escaped inline code span with `|` escaped, or a dash for an
    /// empty value.
    static func cell(_ text: String) -> String {
        text.isEmpty ? "-" : HumanText.markdownCode(text, inTableCell: true)
    }
}

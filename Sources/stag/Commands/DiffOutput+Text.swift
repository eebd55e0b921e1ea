import ServiceTags

/// `stag diff` text output: the two files, a one-line summary, then one block per tag.
///
///     OLD  ServiceTags_Public_20251013.json  cloud Public  changeNumber 373
///     NEW  ServiceTags_Public_20251028.json  cloud Public  changeNumber 375
///     Exact diff: 1 tag changed, 0 added, 0 removed; 2 prefixes added, 1 removed.
///     Addresses (union of the selected tags): IPv4 +128 -256, IPv6 +1208925819614629174706176 -0.
///     Warning: tag AzureCloud.westeurope: changeNumber went down (13 -> 12)
///
///     AzureCloud.westeurope: changed (changeNumber 12 -> 13; +2 -1)
///       + 192.0.2.0/25
///       + 2001:db8::/48
///       - 198.51.100.0/24
///       region: "westeurope" -> "westeurope2"
///
/// Data text (names, clouds, metadata values, file names) is shown through
/// `HumanText.escaped(_:)`: the header through `TextTable`, the blocks here.
extension DiffOutput {
    static func text(_ diff: ServiceTagsDiff, context: Context) -> [UInt8] {
        var out = ExportText(capacity: 1 << 14)
        for line in TextTable.align([
            ["OLD", context.oldFile, "cloud \(diff.old.cloud)", "changeNumber \(number(diff.old.changeNumber))"],
            ["NEW", context.newFile, "cloud \(diff.new.cloud)", "changeNumber \(number(diff.new.changeNumber))"],
        ]) { out.line(line) }
        for line in summaryLines(diff) { out.line(line) }
        out.line(addressLine(diff.addresses))
        for anomaly in diff.anomalies { out.line("Warning: " + HumanText.escaped(anomaly.description)) }
        for tag in diff.tags where tag.isDifference || tag.isReexpressed {
            out.newline()
            block(tag, to: &out)
        }
        return out.bytes
    }

    /// The summary sentences shared by the text and markdown reports.
    static func summaryLines(_ diff: ServiceTagsDiff) -> [String] {
        let s = diff.summary
        let semantic = diff.mode == .addressSpace
        var lines: [String] = []
        if diff.hasDifferences {
            lines.append((semantic ? "Address-space diff: " : "Exact diff: ")
                + "\(count(s.tagsChanged, "tag")) changed, \(s.tagsAdded) added, \(s.tagsRemoved) removed; "
                + "\(count(s.prefixesAdded, "prefix", "prefixes")) added, \(s.prefixesRemoved) removed"
                + (semantic ? " (minimal CIDR covers)." : "."))
        } else {
            lines.append(semantic ? "No address-space differences." : "No differences.")
        }
        if semantic && s.tagsReexpressed > 0 {
            lines.append("\(count(s.tagsReexpressed, "tag")) re-expressed, no coverage change.")
        }
        if semantic {
            let metadataOnly = diff.tags.count(where: { !$0.isDifference && !$0.isReexpressed })
            if metadataOnly > 0 {
                lines.append("\(count(metadataOnly, "tag")) with only metadata or changeNumber changes "
                             + "(not address space; run without --semantic to see them).")
            }
        }
        // With differences the header already shows both numbers; without, say why exit is still 0.
        if !diff.hasDifferences && diff.old.changeNumber != diff.new.changeNumber {
            lines.append("The top-level changeNumber changed (\(number(diff.old.changeNumber)) -> "
                         + "\(number(diff.new.changeNumber))); that alone is not a difference.")
        }
        return lines
    }

    /// The address space gained and lost over the selection's union, shared with markdown.
    static func addressLine(_ a: ServiceTagsDiff.AddressChange) -> String {
        "Addresses (union of the selected tags): IPv4 +\(a.ipv4Added) -\(a.ipv4Removed), IPv6 +\(a.ipv6Added) -\(a.ipv6Removed)."
    }

    private static func block(_ tag: TagDiff, to out: inout ExportText) {
        let changeNumber = switch tag.status {
        case .added: "changeNumber \(number(tag.newChangeNumber))"
        case .removed: "changeNumber \(number(tag.oldChangeNumber))"
        case .changed: "changeNumber \(number(tag.oldChangeNumber)) -> \(number(tag.newChangeNumber))"
        }
        let name = HumanText.escaped(tag.name)
        if tag.isReexpressed {
            out.line("\(name): re-expressed, no coverage change (\(changeNumber))")
            return
        }
        out.line("\(name): \(tag.status.rawValue) (\(changeNumber); +\(tag.added.count) -\(tag.removed.count))")
        prefixLines(tag.added, marker: "  + ", to: &out)
        prefixLines(tag.removed, marker: "  - ", to: &out)
        for change in tag.metadata {
            out.line("  \(change.field.rawValue): \(HumanText.escaped(display(change.old))) -> \(HumanText.escaped(display(change.new)))")
        }
    }

    private static func prefixLines(_ list: PrefixList, marker: String, to out: inout ExportText) {
        for p in list.ipv4 {
            out.write(marker)
            out.write(p)
            out.newline()
        }
        for p in list.ipv6 {
            out.write(marker)
            out.write(p)
            out.newline()
        }
    }

    /// A metadata value for people: strings quoted (so an empty region shows), lists comma-joined.
    /// Raw: the caller escapes it for its medium (text or markdown).
    static func display(_ value: MetadataChange.Value) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .integer(let n): String(n)
        case .strings(let list): "[" + list.joined(separator: ", ") + "]"
        case .absent: "(absent)"
        }
    }

    static func number(_ n: Int?) -> String { n.map(String.init) ?? "(absent)" }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }
}

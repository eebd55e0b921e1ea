import ServiceTags

/// `stag diff --json`: one JSON document, the schema of `cli.md`, keys in a fixed order.
///
///     {"old":{"cloud","changeNumber","file"},"new":{...},"semantic":false,
///      "summary":{"tagsAdded","tagsRemoved","tagsChanged","prefixesAdded","prefixesRemoved"
///                 [,"tagsReexpressed" with --semantic],"ipv4AddressesAdded","ipv4AddressesRemoved",
///                 "ipv6AddressesAdded","ipv6AddressesRemoved"},
///      "tags":[{"name","status","changeNumber":[old,new],"added":[...],"removed":[...],"metadata":{...}}],
///      "anomalies":[{"kind","tag","message"}]}
///
/// IPv4 address counts are numbers (at most 2^32), IPv6 ones decimal strings (up to 2^128, beyond
/// what JSON readers hold exactly); `anomalies` is always present, `tag` null for the file.
///
/// `tags` holds `diff.differences` (so with `--semantic` no re-expressed tag and no tag whose only
/// change is metadata), sorted by name in byte order; `added`/`removed` are canonical prefixes,
/// IPv4 first, then by address and length. `metadata` maps each changed field to `[old, new]`
/// (null where absent) and is `{}` when none changed, always for added and removed tags.
extension DiffOutput {
    static func json(_ diff: ServiceTagsDiff, context: Context) -> [UInt8] {
        var out = ExportText(capacity: 1 << 14)
        out.write("{\"old\":")
        side(diff.old, file: context.oldFile, to: &out)
        out.write(",\"new\":")
        side(diff.new, file: context.newFile, to: &out)
        out.write(",\"semantic\":\(diff.mode == .addressSpace)")
        let s = diff.summary
        out.write(",\"summary\":{\"tagsAdded\":\(s.tagsAdded),\"tagsRemoved\":\(s.tagsRemoved),\"tagsChanged\":\(s.tagsChanged)")
        out.write(",\"prefixesAdded\":\(s.prefixesAdded),\"prefixesRemoved\":\(s.prefixesRemoved)")
        if diff.mode == .addressSpace { out.write(",\"tagsReexpressed\":\(s.tagsReexpressed)") }
        let a = diff.addresses
        out.write(",\"ipv4AddressesAdded\":\(a.ipv4Added),\"ipv4AddressesRemoved\":\(a.ipv4Removed)")
        out.write(",\"ipv6AddressesAdded\":\"\(a.ipv6Added)\",\"ipv6AddressesRemoved\":\"\(a.ipv6Removed)\"")
        out.write("},\"tags\":[")
        var first = true
        for tag in diff.tags where tag.isDifference {
            if !first { out.write(",") }
            first = false
            self.tag(tag, to: &out)
        }
        out.write("],\"anomalies\":[")
        for (i, anomaly) in diff.anomalies.enumerated() {
            if i > 0 { out.write(",") }
            out.write("{\"kind\":\"\(anomaly.kind)\",\"tag\":")
            if let tag = anomaly.tag { out.write(jsonString: tag) } else { out.write("null") }
            out.write(",\"message\":")
            out.write(jsonString: anomaly.description)
            out.write("}")
        }
        out.line("]}")
        return out.bytes
    }

    private static func side(_ side: ServiceTagsDiff.Side, file: String, to out: inout ExportText) {
        out.write("{\"cloud\":")
        out.write(jsonString: side.cloud)
        out.write(",\"changeNumber\":")
        out.write(jsonNumber: side.changeNumber)
        out.write(",\"file\":")
        out.write(jsonString: file)
        out.write("}")
    }

    private static func tag(_ tag: TagDiff, to out: inout ExportText) {
        out.write("{\"name\":")
        out.write(jsonString: tag.name)
        out.write(",\"status\":\"\(tag.status.rawValue)\",\"changeNumber\":[")
        out.write(jsonNumber: tag.oldChangeNumber)
        out.write(",")
        out.write(jsonNumber: tag.newChangeNumber)
        out.write("],\"added\":")
        out.write(jsonPrefixes: tag.added)
        out.write(",\"removed\":")
        out.write(jsonPrefixes: tag.removed)
        out.write(",\"metadata\":{")
        for (i, change) in tag.metadata.enumerated() {
            if i > 0 { out.write(",") }
            out.write(jsonString: change.field.rawValue)
            out.write(":[")
            value(change.old, to: &out)
            out.write(",")
            value(change.new, to: &out)
            out.write("]")
        }
        out.write("}}")
    }

    private static func value(_ value: MetadataChange.Value, to out: inout ExportText) {
        switch value {
        case .string(let s): out.write(jsonString: s)
        case .integer(let n): out.write(jsonNumber: n)
        case .absent: out.write("null")
        case .strings(let list):
            out.write("[")
            for (i, s) in list.enumerated() {
                if i > 0 { out.write(",") }
                out.write(jsonString: s)
            }
            out.write("]")
        }
    }
}

import ServiceTags

/// `stag diff --json`: one JSON document, the schema of `cli.md`, keys in a fixed order.
///
///     {"old":{"cloud","changeNumber","file"},"new":{...},"semantic":false,
///      "summary":{"tagsAdded","tagsRemoved","tagsChanged","prefixesAdded","prefixesRemoved"
///                 [,"tagsReexpressed" with --semantic]},
///      "tags":[{"name","status","changeNumber":[old,new],"added":[...],"removed":[...],"metadata":{...}}]}
///
/// `tags` holds `diff.differences` (so with `--semantic` no re-expressed tag and no tag whose only
/// change is metadata), sorted by name in byte order; `added`/`removed` are canonical prefixes,
/// IPv4 first, then by address and length. `metadata` maps each changed field to `[old, new]`
/// (null where absent) and is `{}` when none changed, always for added and removed tags.
extension DiffOutput {
    static func json(_ diff: ServiceTagsDiff, context: Context) -> [UInt8] {
        var out = TextBuffer(capacity: 1 << 14)
        out.put("{\"old\":")
        side(diff.old, file: context.oldFile, to: &out)
        out.put(",\"new\":")
        side(diff.new, file: context.newFile, to: &out)
        out.put(",\"semantic\":\(diff.mode == .addressSpace)")
        let s = diff.summary
        out.put(",\"summary\":{\"tagsAdded\":\(s.tagsAdded),\"tagsRemoved\":\(s.tagsRemoved),\"tagsChanged\":\(s.tagsChanged)")
        out.put(",\"prefixesAdded\":\(s.prefixesAdded),\"prefixesRemoved\":\(s.prefixesRemoved)")
        if diff.mode == .addressSpace { out.put(",\"tagsReexpressed\":\(s.tagsReexpressed)") }
        out.put("},\"tags\":[")
        var first = true
        for tag in diff.tags where tag.isDifference {
            if !first { out.put(",") }
            first = false
            self.tag(tag, to: &out)
        }
        out.line("]}")
        return out.bytes
    }

    private static func side(_ side: ServiceTagsDiff.Side, file: String, to out: inout TextBuffer) {
        out.put("{\"cloud\":")
        out.putJSONString(side.cloud)
        out.put(",\"changeNumber\":")
        out.putJSONNumber(side.changeNumber)
        out.put(",\"file\":")
        out.putJSONString(file)
        out.put("}")
    }

    private static func tag(_ tag: TagDiff, to out: inout TextBuffer) {
        out.put("{\"name\":")
        out.putJSONString(tag.name)
        out.put(",\"status\":\"\(tag.status.rawValue)\",\"changeNumber\":[")
        out.putJSONNumber(tag.oldChangeNumber)
        out.put(",")
        out.putJSONNumber(tag.newChangeNumber)
        out.put("],\"added\":")
        out.putJSONPrefixes(tag.added)
        out.put(",\"removed\":")
        out.putJSONPrefixes(tag.removed)
        out.put(",\"metadata\":{")
        for (i, change) in tag.metadata.enumerated() {
            if i > 0 { out.put(",") }
            out.putJSONString(change.field.rawValue)
            out.put(":[")
            value(change.old, to: &out)
            out.put(",")
            value(change.new, to: &out)
            out.put("]")
        }
        out.put("}}")
    }

    private static func value(_ value: MetadataChange.Value, to out: inout TextBuffer) {
        switch value {
        case .string(let s): out.putJSONString(s)
        case .integer(let n): out.putJSONNumber(n)
        case .absent: out.put("null")
        case .strings(let list):
            out.put("[")
            for (i, s) in list.enumerated() {
                if i > 0 { out.put(",") }
                out.putJSONString(s)
            }
            out.put("]")
        }
    }
}

/// `stag diff OLD NEW --format FMT`: the commands that turn what `stag export` loaded from OLD into
/// what the same command loads from NEW, for the formats with an incremental syntax.
///
/// Two shapes:
/// - **Per tag** (no `name`): each selected tag keeps its own objects, named as `stag export`
///   names them for that tag alone, because a union would be named after its members, which come
///   and go. One section per tag whose objects change, in name order (byte order).
/// - **Union** (`name` given): the selection is one list, exactly `stag export A 'B.*' --name corp`
///   on each file, and the delta is between those two lists; a tag new in NEW or gone from it
///   simply adds or removes its prefixes.
///
/// In both, when OLD has nothing for an object set (a new tag, or empty in the selected families),
/// `stag export` could not have loaded it: formats that keep empty objects (nft, ipset) would get
/// adds into sets that do not exist, so they get the full list, which creates the sets and is
/// correct whatever the target holds. When NEW has nothing, the list is compared with an empty
/// one: nft and ipset empty the sets (rules may still use them; deleting a used set would fail the
/// whole file) and the other formats delete their objects.
public struct ExportDeltaRequest: Sendable {
    public var format: any ExportFormat
    /// Which tags, and how their lists are formed (`--exclude`, `--ipv4`/`--ipv6`, `--aggregate`).
    public var selection: ExportSelection
    /// `--name`, `--max-entries` and the rule options, as given to `stag export`.
    public var options: ExportOptions

    public init(format: any ExportFormat, selection: ExportSelection, options: ExportOptions) {
        self.format = format
        self.selection = selection
        self.options = options
    }

    /// Whether the selection is exported as one union (`--name`), not tag by tag.
    public var isUnion: Bool { options.name != nil }
}

/// The delta as bytes, with the exporter's warnings.
public struct ExportDeltaOutput: Sendable {
    public var bytes: [UInt8]
    public var warnings: [String]
    /// False when no object changes (then `bytes` is empty).
    public var changes: Bool
}

extension Exporter {
    /// The delta of `request`'s selection from `old` to `new` (see `ExportDeltaRequest`).
    ///
    /// The selection is checked over both files (a pattern must select a tag in OLD or NEW).
    /// - Throws: `ExportError` for a pattern selecting nothing, for two tags writing objects of the
    ///   same name, or for what the exporter rejects (unsafe tag names, names too long).
    /// - Complexity: O(n log n) over the selected tags' n prefixes in both files, plus the output.
    public static func delta(from old: ServiceTagsFile, to new: ServiceTagsFile,
                             _ request: ExportDeltaRequest) throws(ExportError) -> ExportDeltaOutput {
        let oldNames = old.tags.map(\.name), newNames = new.tags.map(\.name)
        let selection = request.selection
        do {
            try selection.include.check([oldNames, newNames], scope: .eitherFile)
            try selection.exclude.check([oldNames, newNames], scope: .eitherFile)
        } catch {
            throw .selection(error)
        }
        var out = ExportText()
        var delta = DeltaAccumulator()
        if request.isUnion {
            let a = ExportList(tolerating: old, selecting: selection)
            let b = ExportList(tolerating: new, selecting: selection)
            try delta.add(from: a, to: b, owner: "", request, to: &out)
            return ExportDeltaOutput(bytes: out.bytes, warnings: delta.warnings, changes: delta.changes)
        }
        let excludedOld = selection.excludedPositions(in: oldNames).map { old.tags[$0] }
        let excludedNew = selection.excludedPositions(in: newNames).map { new.tags[$0] }
        let excludedNames = Set(excludedOld.map(\.name)).union(excludedNew.map(\.name))
        func list(_ name: String, _ position: Int?, in file: ServiceTagsFile, excluding excluded: [ServiceTag]) -> ExportList {
            if let position {
                return ExportList(tag: file.tags[position], excluding: excluded, families: selection.families,
                                  cover: selection.covers, changeNumber: file.changeNumber)
            }
            return ExportList(tags: [name], excluded: excluded.map(\.name), v4: [], v6: [], changeNumber: file.changeNumber,
                              families: selection.families)
        }
        for pair in selection.include.pairs(old: oldNames, new: newNames) where !excludedNames.contains(pair.name) {
            let a = list(pair.name, pair.old, in: old, excluding: excludedOld)
            let b = list(pair.name, pair.new, in: new, excluding: excludedNew)
            if a.isEmpty && b.isEmpty { continue }
            try delta.add(from: a, to: b, owner: pair.name, request, to: &out)
        }
        return ExportDeltaOutput(bytes: out.bytes, warnings: delta.warnings, changes: delta.changes)
    }
}

/// The sections of a delta as they are written: which tag owns each object name (two tags must
/// not write the same object), the warnings once each, and whether anything changes.
private struct DeltaAccumulator {
    struct Key: Hashable { var name: String; var family: ExportObjectFamily }
    var owners: [Key: String] = [:]
    var warnings: [String] = []
    var changes = false

    mutating func add(from a: ExportList, to b: ExportList, owner: String, _ request: ExportDeltaRequest,
                      to out: inout ExportText) throws(ExportError) {
        let format = request.format
        let plan = try Exporter.deltaPlan(from: a, to: b, for: format, options: request.options)
        for object in plan.old.objects + plan.new.objects {
            let key = Key(name: object.name, family: object.family)
            if let other = owners.updateValue(owner, forKey: key), other != owner {
                throw .objectNameCollision(tags: [other, owner], format: format.id, object: object.name)
            }
        }
        if plan.changes.isEmpty { return }
        changes = true
        if a.isEmpty && format.traits.keepsEmptyObjects {
            format.writeFull(plan.new, to: &out)
        } else {
            format.writeDelta(plan, to: &out)
        }
        for warning in plan.new.warnings where !warnings.contains(warning) { warnings.append(warning) }
    }
}

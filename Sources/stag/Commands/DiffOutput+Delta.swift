import ServiceTags

/// `stag diff OLD NEW --format FMT` for the export formats with an incremental syntax: per selected
/// tag, the commands that turn what `stag export TAG --data OLD --format FMT [OPTIONS]` loaded into
/// what the same command loads for NEW.
///
/// Each tag keeps its own objects, named as `stag export` names them for that tag alone, because
/// the core delta compares whole lists (chunk placement depends on the whole list), and a union of
/// tags would be named after its members, which come and go. The output is one section per tag
/// whose objects change, in name order (byte order), each the format's delta for that tag; tags
/// with nothing to change write nothing. Two cases need care:
/// - OLD has nothing for the tag (new tag, or empty in the selected families): `stag export` could
///   not have loaded it, so there is nothing to apply a delta to. Formats that keep empty objects
///   (nft, ipset) would otherwise emit adds into sets that do not exist; they get the tag's full
///   list, which creates the sets and is correct whatever the target holds. Other formats' deltas
///   create the objects themselves.
/// - NEW has nothing for the tag: it is compared with an empty list, so nft and ipset empty the
///   tag's sets (rules may still use them; deleting a used set would fail the whole file) and the
///   other formats delete its objects.
extension DiffOutput {
    /// What a delta needs besides the two files, parsed and checked before either is read.
    struct DeltaRequest {
        var format: any ExportFormat
        var exclude: [TagPattern]
        var families: ExportFamilies
        var aggregate: Bool
        var options: ExportOptions
    }

    /// The changes as bytes, with the exporter's warnings; `changes` is false when no object of
    /// any selected tag changes (then `bytes` is empty).
    struct DeltaOutput {
        var bytes: [UInt8]
        var warnings: [String]
        var changes: Bool
    }

    /// The options that only make sense with a delta format (they shape the export lists).
    static let deltaOnlyOptions = ["--exclude", "--ipv4", "--ipv6", "--aggregate", "--name", "--max-entries"]
        + FirewallRule.Option.allCases.map(\.flag)

    /// The export formats with an incremental syntax, in `stag export --help` order.
    static var deltaCapableFormats: [String] { ExportFormats.all.filter(\.traits.supportsDelta).map(\.id) }

    /// Checks the delta options of `args` for format `id`, as `stag export` checks its own.
    /// - Throws: `CLIError` (exit 2) for `--semantic`, `--ipv4` with `--ipv6`, a bad `--max-entries`
    ///   or a `--name` the target rejects.
    static func deltaRequest(_ id: String, _ args: ParsedArguments) throws(CLIError) -> DeltaRequest {
        guard let format = ExportFormats.named(id), format.traits.supportsDelta else { throw unknownFormat(id) }
        if args.has("--semantic") {
            throw CLIError.usage("diff", "--semantic does not apply to --format \(id): a delta changes the entries 'stag export' "
                + "loaded; for address-space changes, export and diff with --aggregate")
        }
        let families = try ExportCommand.families(args, command: "diff")
        let options = try ExportCommand.options(args, for: format, command: "diff")
        return DeltaRequest(format: format, exclude: args.all("--exclude").map(TagPattern.init), families: families,
                            aggregate: args.has("--aggregate"), options: options)
    }

    /// The delta of every selected tag (`patterns`, or all tags when empty) from `old` to `new`.
    ///
    /// - Throws: `CLIError` (exit 2) when `--name` meets more than one tag, when two tags would
    ///   write objects of the same name, or for what the exporter rejects (unsafe tag names, names
    ///   too long for the target).
    /// - Complexity: O(n log n) over the selected tags' n prefixes in both files, plus the output.
    static func exportDelta(old: ServiceTagsFile, new: ServiceTagsFile, selecting patterns: [TagPattern],
                            request: DeltaRequest) throws(CLIError) -> DeltaOutput {
        let excludedOld = matching(request.exclude, in: old), excludedNew = matching(request.exclude, in: new)
        let excludedNames = Set(excludedOld.map(\.name)).union(excludedNew.map(\.name))
        let tags = selected(patterns, old: old, new: new).filter { !excludedNames.contains($0.name) }
        if request.options.name != nil && tags.count > 1 {
            let shown = tags.prefix(3).map { "'\($0.name)'" }.joined(separator: ", ") + (tags.count > 3 ? ", ..." : "")
            throw CLIError.usage("diff", "--name names the objects of one tag, but \(tags.count) tags are selected (\(shown)); "
                + "select one tag with --tag, or leave out --name")
        }
        let format = request.format
        let cover = request.aggregate || !request.exclude.isEmpty
        func list(_ name: String, _ tag: ServiceTag?, in file: ServiceTagsFile, excluding excluded: [ServiceTag]) -> ExportList {
            if let tag { return ExportList(tag: tag, excluding: excluded, families: request.families, cover: cover, changeNumber: file.changeNumber) }
            return ExportList(tags: [name], excluded: excluded.map(\.name), v4: [], v6: [], changeNumber: file.changeNumber, families: request.families)
        }

        struct Key: Hashable { var name: String; var family: ExportObjectFamily }
        var owners: [Key: String] = [:]
        var out = ExportText()
        var warnings: [String] = []
        var changes = false
        for tag in tags {
            let a = list(tag.name, tag.old, in: old, excluding: excludedOld)
            let b = list(tag.name, tag.new, in: new, excluding: excludedNew)
            if a.isEmpty && b.isEmpty { continue }
            let plan: ExportDeltaPlan
            do { plan = try Exporter.deltaPlan(from: a, to: b, for: format, options: request.options) } catch { throw CLIError("diff: \(error)") }
            for object in plan.old.objects + plan.new.objects {
                let key = Key(name: object.name, family: object.family)
                if let other = owners.updateValue(tag.name, forKey: key), other != tag.name {
                    throw CLIError("diff: tags '\(other)' and '\(tag.name)' both map to the \(format.id) object '\(object.name)'; "
                        + "narrow the selection with --tag")
                }
            }
            if plan.changes.isEmpty { continue }
            changes = true
            if a.isEmpty && format.traits.keepsEmptyObjects {
                format.writeFull(plan.new, to: &out)
            } else {
                format.writeDelta(plan, to: &out)
            }
            for warning in plan.new.warnings where !warnings.contains(warning) { warnings.append(warning) }
        }
        return DeltaOutput(bytes: out.bytes, warnings: warnings, changes: changes)
    }

    /// The tags whose names match `patterns` (all when empty) in either file, by name in byte order,
    /// with each file's tag of that name (the first, should a file repeat a name).
    /// - Complexity: O(T log T) for T tags in both files (times the patterns).
    static func selected(_ patterns: [TagPattern], old: ServiceTagsFile, new: ServiceTagsFile)
        -> [(name: String, old: ServiceTag?, new: ServiceTag?)] {
        var byName: [String: (old: ServiceTag?, new: ServiceTag?)] = [:]
        func wanted(_ name: String) -> Bool { patterns.isEmpty || patterns.contains { $0.matches(name) } }
        for tag in old.tags where wanted(tag.name) && byName[tag.name]?.old == nil { byName[tag.name, default: (nil, nil)].old = tag }
        for tag in new.tags where wanted(tag.name) && byName[tag.name]?.new == nil { byName[tag.name, default: (nil, nil)].new = tag }
        return byName.map { (name: $0.key, old: $0.value.old, new: $0.value.new) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The tags of `file` matching any of `patterns`, each name once, in file order.
    static func matching(_ patterns: [TagPattern], in file: ServiceTagsFile) -> [ServiceTag] {
        if patterns.isEmpty { return [] }
        var seen = Set<String>()
        return file.tags.filter { tag in patterns.contains { $0.matches(tag.name) } && seen.insert(tag.name).inserted }
    }
}

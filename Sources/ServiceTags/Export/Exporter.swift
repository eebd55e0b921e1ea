/// The target-independent half of every export: normalise, split, chunk, name, then let the
/// format write.
public enum Exporter {
    /// The full list of `list` for `format`.
    ///
    /// - Throws: `ExportError` for a name the target rejects, unsafe tag names in a script, a
    ///   family the target cannot hold, or too many entries for a single-list format.
    /// - Complexity: O(n log limit) plus the output's size.
    public static func export(_ list: ExportList, as format: any ExportFormat, options: ExportOptions = ExportOptions()) throws(ExportError) -> ExportResult {
        let plan = try plan(list, for: format, options: options)
        var out = ExportText()
        out.bytes.reserveCapacity(list.count &* 24 &+ 512)
        format.writeFull(plan, to: &out)
        try checkLines(out.bytes, of: format)
        return ExportResult(bytes: out.bytes, warnings: plan.warnings)
    }

    /// The changes that turn `old`'s full list into `new`'s, in the format's incremental syntax.
    ///
    /// Both lists are planned exactly as `export` would (same normalisation, chunks and names; the
    /// names derive from `new`'s tags unless `options.name` is set), and objects are compared by
    /// name, so applying the result on top of `old`'s full list gives `new`'s full list. This is
    /// the API behind `stag diff --format FMT`: pass each tag's old and new prefixes, e.g.
    /// `ExportList(tag:)` of the tag in each file.
    ///
    /// - Throws: `.deltaNotSupported` for full-list-only formats, and as `export`.
    /// - Complexity: O(n log limit) for n prefixes in both lists, plus the output's size.
    public static func exportDelta(from old: ExportList, to new: ExportList, as format: any ExportFormat,
                                   options: ExportOptions = ExportOptions()) throws(ExportError) -> ExportResult {
        guard format.traits.supportsDelta else { throw ExportError.deltaNotSupported(format: format.id) }
        let delta = try deltaPlan(from: old, to: new, for: format, options: options)
        var out = ExportText()
        format.writeDelta(delta, to: &out)
        try checkLines(out.bytes, of: format)
        return ExportResult(bytes: out.bytes, warnings: delta.new.warnings)
    }

    /// Refuses `bytes` when a line is longer than `format.traits.lineLimit`: the last guard of the
    /// data-text rule (`ExportFormat`), whatever a format writer did.
    /// - Complexity: O(n) in the output's size.
    static func checkLines(_ bytes: [UInt8], of format: any ExportFormat) throws(ExportError) {
        guard let limit = format.traits.lineLimit else { return }
        var start = 0, number = 1
        for i in bytes.indices where bytes[i] == 0x0A {
            if i - start > limit { throw ExportError.lineTooLong(format: format.id, line: number, length: i - start, limit: limit) }
            start = i + 1
            number += 1
        }
        if bytes.count - start > limit {
            throw ExportError.lineTooLong(format: format.id, line: number, length: bytes.count - start, limit: limit)
        }
    }

    /// Checks a `--name` before any data is read: the target must have names, and the name with
    /// the family suffix the target adds must be valid (a chunk suffix, known only with the data,
    /// is checked by `plan`).
    public static func checkName(_ name: String, for format: any ExportFormat) throws(ExportError) {
        guard let rule = format.traits.nameRule else { throw ExportError.nameNotApplicable(format: format.id) }
        let suffix = format.traits.families == .split(suffix: true) ? ExportNaming.familySuffixLength : 0
        _ = try ExportNaming.base(explicit: name, tags: [], rule: rule, suffixLength: suffix, format: format.id)
    }

    /// The objects `format` would write for `list`.
    public static func plan(_ list: ExportList, for format: any ExportFormat, options: ExportOptions) throws(ExportError) -> ExportPlan {
        let traits = format.traits
        if let n = options.maxEntries, n < 1 { throw ExportError.invalidLimit(n) }
        var list = list
        var warnings: [String] = []
        if traits.needsDisjointEntries { list = list.withoutNested() }
        if traits.rejectsZeroLength { list = list.withoutZeroLength() }
        if traits.families == .ipv4Only {
            if list.families == .ipv6 { throw ExportError.familyNotSupported(format: format.id, family: "IPv6") }
            if !list.v6.isEmpty {
                warnings.append("\(format.id) holds IPv4 only: \(list.v6.count) IPv6 prefixes left out (pass --ipv4 to say so)")
                list.v6 = []
            }
            list.families = .ipv4
        }
        if traits.writesScript {
            for name in list.tags + list.excluded where !ExportNaming.isSafeText(name) {
                throw ExportError.unsafeText(name, format: format.id)
            }
        }
        guard let rule = traits.nameRule else {
            if options.name != nil { throw ExportError.nameNotApplicable(format: format.id) }
            if let limit = options.maxEntries, list.count > limit {
                throw ExportError.tooManyEntries(format: format.id, count: list.count, limit: limit)
            }
            let object = ExportObject(name: "", family: .mixed, v4: list.v4[...], v6: list.v6[...])
            if let given = options.rule { try checkRule(given, for: format) }
            return ExportPlan(list: list, objects: [object], baseName: nil, options: options, warnings: warnings)
        }
        let pieces = chunked(list, traits: traits, limit: options.maxEntries ?? traits.entryLimit)
        let familySuffix = traits.families == .split(suffix: true)
        let chunkedAny = pieces.contains { $0.label != nil }
        let suffixLength = (familySuffix ? ExportNaming.familySuffixLength : 0) + (chunkedAny ? ExportNaming.chunkSuffixLength : 0)
        let base = try ExportNaming.base(explicit: options.name, tags: list.tags, rule: rule, suffixLength: suffixLength, format: format.id)
        var objects: [ExportObject] = []
        objects.reserveCapacity(pieces.count)
        for var piece in pieces {
            var text = ExportText()
            text.write(base)
            if familySuffix { text.write(piece.object.family == .ipv4 ? "_v4" : "_v6") }
            if let label = piece.label {
                text.write("_")
                text.write(hex: UInt64(label), digits: 4)
            }
            piece.object.name = String(decoding: text.bytes, as: UTF8.self)
            if let problem = rule.problem(with: piece.object.name) {
                throw ExportError.invalidName(piece.object.name, format: format.id, rule: problem)
            }
            objects.append(piece.object)
        }
        let (firewallRule, chain) = try Self.ruleAndChain(for: list, base: base, format: format, options: options)
        return ExportPlan(list: list, objects: objects, baseName: base, options: options, warnings: warnings, rule: firewallRule, chain: chain)
    }

    /// Objects before naming, with their chunk labels (nil when the family list is one object).
    static func chunked(_ list: ExportList, traits: ExportTraits, limit: Int?) -> [(object: ExportObject, label: UInt16?)] {
        var out: [(object: ExportObject, label: UInt16?)] = []
        func add(_ family: ExportObjectFamily, _ v4: ArraySlice<IPv4Prefix>, _ v6: ArraySlice<IPv6Prefix>, inScope: Bool) {
            if v4.isEmpty && v6.isEmpty && !(traits.keepsEmptyObjects && inScope) { return }
            let count = v4.count + v6.count
            guard let limit, count > limit else {
                out.append((ExportObject(name: "", family: family, v4: v4, v6: v6), nil))
                return
            }
            var hashes: [UInt64] = []
            hashes.reserveCapacity(count)
            for p in v4 { hashes.append(ExportChunking.hash(p)) }
            for p in v6 { hashes.append(ExportChunking.hash(p)) }
            for chunk in ExportChunking.chunks(hashes: hashes, limit: limit) {
                // Positions below v4.count are IPv4 entries, the rest IPv6 (mixed objects only).
                let s4 = min(chunk.start, v4.count), e4 = min(chunk.end, v4.count)
                let s6 = max(chunk.start - v4.count, 0), e6 = max(chunk.end - v4.count, 0)
                let object = ExportObject(name: "", family: family, v4: v4[(v4.startIndex + s4)..<(v4.startIndex + e4)],
                                          v6: v6[(v6.startIndex + s6)..<(v6.startIndex + e6)])
                out.append((object, chunk.label))
            }
        }
        switch traits.families {
        case .mixed:
            add(.mixed, list.v4[...], list.v6[...], inScope: true)
        case .split, .ipv4Only:
            add(.ipv4, list.v4[...], [], inScope: list.families.includesIPv4)
            add(.ipv6, [], list.v6[...], inScope: list.families.includesIPv6)
        }
        return out
    }

    /// Both plans and the per-object changes between them.
    public static func deltaPlan(from old: ExportList, to new: ExportList, for format: any ExportFormat,
                                 options: ExportOptions) throws(ExportError) -> ExportDeltaPlan {
        var oldList = old
        oldList.tags = new.tags
        let oldPlan = try plan(oldList, for: format, options: options)
        let newPlan = try plan(new, for: format, options: options)
        // Keyed by family too: MikroTik's IPv4 and IPv6 lists share a name in separate menus.
        struct Key: Hashable { var name: String; var family: ExportObjectFamily }
        var oldByKey: [Key: Int] = [:]
        for (i, o) in oldPlan.objects.enumerated() { oldByKey[Key(name: o.name, family: o.family)] = i }
        var changes: [ExportChange] = []
        var seen = Set<Key>()
        for object in newPlan.objects {
            seen.insert(Key(name: object.name, family: object.family))
            guard let i = oldByKey[Key(name: object.name, family: object.family)] else {
                changes.append(ExportChange(kind: .created, name: object.name, family: object.family, old: nil, new: object,
                                            added4: Array(object.v4), added6: Array(object.v6)))
                continue
            }
            let before = oldPlan.objects[i]
            let d4 = SortedDifference.of(object.v4, before.v4), d6 = SortedDifference.of(object.v6, before.v6)
            if d4.onlyA.isEmpty && d4.onlyB.isEmpty && d6.onlyA.isEmpty && d6.onlyB.isEmpty { continue }
            changes.append(ExportChange(kind: .changed, name: object.name, family: object.family, old: before, new: object,
                                        added4: d4.onlyA, removed4: d4.onlyB, added6: d6.onlyA, removed6: d6.onlyB))
        }
        for object in oldPlan.objects where !seen.contains(Key(name: object.name, family: object.family)) {
            changes.append(ExportChange(kind: .deleted, name: object.name, family: object.family, old: object, new: nil,
                                        removed4: Array(object.v4), removed6: Array(object.v6)))
        }
        let r4 = SortedDifference.of(oldPlan.list.v4, newPlan.list.v4).onlyA
        let r6 = SortedDifference.of(oldPlan.list.v6, newPlan.list.v6).onlyA
        return ExportDeltaPlan(old: oldPlan, new: newPlan, changes: changes, removed4: r4, removed6: r6)
    }
}

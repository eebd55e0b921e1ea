/// Building a diff: pair the tags by name, compare each pair, collect anomalies.
extension ServiceTagsDiff {
    /// Compares OLD with NEW.
    ///
    /// `patterns` restricts the diff to the tags whose name matches one of them (exact names or
    /// globs, see `TagPattern`) in either file; empty means every tag. Nothing is skipped because
    /// the top-level `changeNumber`s are equal: that number is not a reliable signal.
    /// `oldName`/`newName` are the files' paths as given (or `nil`): only used to tell whether the
    /// dates in their names are reversed too, when NEW's changeNumber is lower.
    ///
    /// Tags are paired by position first (consecutive weekly files list them in the same order, and
    /// comparing two names is one memcmp), and only the leftovers by a name dictionary.
    ///
    /// - Complexity: O(T + P) for T tags and P prefix entries when each tag's prefixes arrive sorted
    ///   (they do in Microsoft's files), O(T + P log P) otherwise; plus O(D log D) to sort the D
    ///   differing tags by name. Unchanged tags cost one comparison of their prefix arrays. The
    ///   address-space mode adds O(p) set algebra for each tag whose prefixes changed; the address
    ///   counts add O(P log P) (see `AddressChange`). No work is ever done per address.
    public init(old: ServiceTagsFile, new: ServiceTagsFile, mode: Mode = .exact, selecting patterns: [TagPattern] = [],
                oldName: String? = nil, newName: String? = nil) {
        let isSelected: (String) -> Bool = patterns.isEmpty ? { _ in true } : { patterns.anyMatches($0) }
        var entries: [TagDiff] = []
        var anomalies: [String: [DiffAnomaly]] = [:]
        func record(_ pair: (TagDiff, [DiffAnomaly])?) {
            guard let (entry, found) = pair else { return }
            entries.append(entry)
            if !found.isEmpty { anomalies[entry.name] = found }
        }

        var newMatched = [Bool](repeating: false, count: new.tags.count)
        var unmatchedOld: [Int] = []
        for (i, tag) in old.tags.enumerated() {
            if i < new.tags.count && new.tags[i].name == tag.name {
                newMatched[i] = true
                if isSelected(tag.name) { record(Self.compare(tag, new.tags[i], mode: mode)) }
            } else {
                unmatchedOld.append(i)
            }
        }
        if !unmatchedOld.isEmpty {
            var byName: [String: Int] = [:]
            for (j, tag) in new.tags.enumerated() where !newMatched[j] { byName[tag.name] = j }
            for i in unmatchedOld {
                let tag = old.tags[i]
                if let j = byName[tag.name] {
                    newMatched[j] = true
                    if isSelected(tag.name) { record(Self.compare(tag, new.tags[j], mode: mode)) }
                } else if isSelected(tag.name) {
                    entries.append(Self.onlyOnOneSide(tag, status: .removed, mode: mode))
                }
            }
        }
        for (j, tag) in new.tags.enumerated() where !newMatched[j] && isSelected(tag.name) {
            entries.append(Self.onlyOnOneSide(tag, status: .added, mode: mode))
        }
        entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }

        var allAnomalies: [DiffAnomaly] = []
        if old.cloud != new.cloud { allAnomalies.append(.cloudMismatch(old: old.cloud, new: new.cloud)) }
        allAnomalies.append(contentsOf: Self.fileAnomalies(
            old: old.changeNumber, new: new.changeNumber,
            prefixesChanged: entries.contains { $0.prefixesChanged }, seesEveryTag: patterns.isEmpty,
            namesReversed: ServiceTagsFileName.datesReversed(old: oldName, new: newName)))
        if !anomalies.isEmpty {
            for entry in entries { allAnomalies.append(contentsOf: anomalies[entry.name] ?? []) }
        }
        self.init(mode: mode, old: Side(cloud: old.cloud, changeNumber: old.changeNumber),
                  new: Side(cloud: new.cloud, changeNumber: new.changeNumber),
                  tags: entries, anomalies: allAnomalies,
                  addresses: AddressChange(old: old, new: new, isSelected: isSelected))
    }

    /// The file-level anomalies: the top-level `changeNumber` went down, or stayed while prefixes
    /// changed, or went up while none did (only when `seesEveryTag`: a selection cannot tell).
    static func fileAnomalies(old: Int?, new: Int?, prefixesChanged: Bool, seesEveryTag: Bool,
                              namesReversed: Bool) -> [DiffAnomaly] {
        guard let old, let new else { return [] }
        if new < old { return [.fileChangeNumberDecreased(old: old, new: new, namesReversed: namesReversed)] }
        if new == old && prefixesChanged { return [.fileChangedWithoutChangeNumber(changeNumber: old)] }
        if new > old && !prefixesChanged && seesEveryTag {
            return [.fileChangeNumberChangedWithoutChange(old: old, new: new)]
        }
        return []
    }

    /// One tag present in both files: its entry and anomalies, or `nil` when nothing differs.
    static func compare(_ old: ServiceTag, _ new: ServiceTag, mode: Mode) -> (TagDiff, [DiffAnomaly])? {
        var added = PrefixList(), removed = PrefixList()
        var prefixesChanged = false
        // Most tags do not change from one week to the next: equal arrays need no sorting.
        if old.ipv4 != new.ipv4 {
            let (r, a, changed) = Self.compareFamily(old.ipv4, new.ipv4, mode: mode)
            removed.ipv4 = r
            added.ipv4 = a
            prefixesChanged = changed
        }
        if old.ipv6 != new.ipv6 {
            let (r, a, changed) = Self.compareFamily(old.ipv6, new.ipv6, mode: mode)
            removed.ipv6 = r
            added.ipv6 = a
            prefixesChanged = prefixesChanged || changed
        }
        let metadata = MetadataChange.changes(from: old, to: new)
        let changeNumberChanged = old.changeNumber != new.changeNumber
        guard prefixesChanged || changeNumberChanged || !metadata.isEmpty else { return nil }

        var anomalies: [DiffAnomaly] = []
        if let o = old.changeNumber, let n = new.changeNumber, n < o {
            anomalies.append(.tagChangeNumberDecreased(tag: old.name, old: o, new: n))
        }
        if prefixesChanged && !changeNumberChanged {
            anomalies.append(.prefixesChangedWithoutChangeNumber(tag: old.name, changeNumber: old.changeNumber))
        } else if !prefixesChanged && changeNumberChanged {
            anomalies.append(.changeNumberChangedWithoutPrefixes(tag: old.name, old: old.changeNumber, new: new.changeNumber))
        }
        let entry = TagDiff(name: old.name, status: .changed, oldChangeNumber: old.changeNumber,
                            newChangeNumber: new.changeNumber, added: added, removed: removed,
                            metadata: metadata, prefixesChanged: prefixesChanged,
                            isAddressSpace: mode == .addressSpace)
        return (entry, anomalies)
    }

    /// One family of one tag: what was removed and added (exactly, or as address-space covers), and
    /// whether the sets of listed prefixes differ at all.
    static func compareFamily<A>(_ old: [Prefix<A>], _ new: [Prefix<A>], mode: Mode)
        -> (removed: [Prefix<A>], added: [Prefix<A>], changed: Bool)
    {
        let o = SortedPrefixes.sortedUnique(old), n = SortedPrefixes.sortedUnique(new)
        if o == n { return ([], [], false) }
        switch mode {
        case .exact:
            let (removed, added) = SortedPrefixes.difference(o, n)
            return (removed, added, true)
        case .addressSpace:
            let before = PrefixSet(o), after = PrefixSet(n)
            if before == after { return ([], [], true) }
            return (before.subtracting(after).prefixes(), after.subtracting(before).prefixes(), true)
        }
    }

    /// A tag in only one file: every prefix it lists (or, by address space, their minimal cover) is
    /// added or removed.
    static func onlyOnOneSide(_ tag: ServiceTag, status: TagDiff.Status, mode: Mode) -> TagDiff {
        let list: PrefixList
        switch mode {
        case .exact:
            list = PrefixList(ipv4: SortedPrefixes.sortedUnique(tag.ipv4), ipv6: SortedPrefixes.sortedUnique(tag.ipv6))
        case .addressSpace:
            list = PrefixList(ipv4: aggregate(tag.ipv4), ipv6: aggregate(tag.ipv6))
        }
        let isAdded = status == .added
        return TagDiff(name: tag.name, status: status,
                       oldChangeNumber: isAdded ? nil : tag.changeNumber,
                       newChangeNumber: isAdded ? tag.changeNumber : nil,
                       added: isAdded ? list : PrefixList(), removed: isAdded ? PrefixList() : list,
                       metadata: [], prefixesChanged: !list.isEmpty, isAddressSpace: mode == .addressSpace)
    }
}

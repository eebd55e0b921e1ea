/// What to export from a file: `stag export TAG... [--exclude TAG]... [--ipv4|--ipv6] [--aggregate]`.
public struct ExportSelection: Sendable {
    /// Tags to take (exact names or globs); their union is exported.
    public var include: [TagPattern]
    /// Tags whose address space is taken away.
    public var exclude: [TagPattern]
    public var families: ExportFamilies
    /// Merge to the minimal exact CIDR cover.
    public var aggregate: Bool

    public init(include: [TagPattern], exclude: [TagPattern] = [], families: ExportFamilies = .both, aggregate: Bool = false) {
        self.include = include
        self.exclude = exclude
        self.families = families
        self.aggregate = aggregate
    }
}

extension ExportList {
    /// The selection's prefixes from `file`.
    ///
    /// Without exclusions or `aggregate`, the union of the tags' prefixes as listed (sorted, without
    /// duplicates). With either, the minimal exact CIDR cover of the remaining address space: a
    /// subtraction cuts prefixes, so only a cover describes what is left. Never adds an address.
    ///
    /// - Throws: `.unknownTag` (with near names) for an exact name not in the file, `.noTagMatches`
    ///   for a glob matching nothing, `.emptySelection` when no prefix is left.
    /// - Complexity: O(n log n) for n selected prefixes; O(n) when the tags list them sorted.
    public init(_ file: ServiceTagsFile, selecting selection: ExportSelection) throws(ExportError) {
        let included = try Self.resolve(selection.include, in: file)
        let excluded = try Self.resolve(selection.exclude, in: file)
        let excludedNames = Set(excluded.map { file.tags[$0].name })
        let sources = included.map { file.tags[$0] }
        let names = sources.map(\.name).filter { !excludedNames.contains($0) }
        let byteOrder: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let cover = selection.aggregate || !excluded.isEmpty
        let fam = selection.families
        let v4 = fam.includesIPv4 ? Self.select(sources.map(\.ipv4), minus: excluded.map { file.tags[$0].ipv4 }, cover: cover) : []
        let v6 = fam.includesIPv6 ? Self.select(sources.map(\.ipv6), minus: excluded.map { file.tags[$0].ipv6 }, cover: cover) : []
        if v4.isEmpty && v6.isEmpty { throw ExportError.emptySelection }
        self.init(sortedTags: names.sorted(by: byteOrder), excluded: excludedNames.sorted(by: byteOrder), v4: v4, v6: v6,
                  changeNumber: file.changeNumber, families: fam, sources: sources)
    }

    /// Indices of the tags matching any pattern, in file order, each once.
    static func resolve(_ patterns: [TagPattern], in file: ServiceTagsFile) throws(ExportError) -> [Int] {
        var taken = [Bool](repeating: false, count: file.tags.count)
        // A few exact names (the usual case) are found by a scan; hashing ~3,000 names costs more.
        var exact: [String: Int] = [:]
        if patterns.count > 8 { for (i, tag) in file.tags.enumerated() { exact[tag.name] = i } }
        for pattern in patterns {
            if !pattern.isGlob {
                guard let i = patterns.count > 8 ? exact[pattern.text] : file.tags.firstIndex(where: { $0.name == pattern.text }) else {
                    throw ExportError.unknownTag(pattern.text, suggestions: NearNames.suggestions(for: pattern.text, in: file.tags.map(\.name)))
                }
                taken[i] = true
                continue
            }
            var any = false
            for (i, tag) in file.tags.enumerated() where pattern.matches(tag.name) {
                taken[i] = true
                any = true
            }
            if !any { throw ExportError.noTagMatches(pattern.text) }
        }
        return taken.indices.filter { taken[$0] }
    }

    /// The union of `lists`, minus `excluded`; a minimal cover when `cover`.
    static func select<A>(_ lists: [[Prefix<A>]], minus excluded: [[Prefix<A>]], cover: Bool) -> [Prefix<A>] {
        if !cover {
            if lists.count == 1 { return sortedUnique(lists[0]) }
            return sortedUnique(lists.flatMap { $0 })
        }
        var set = lists.count == 1 ? PrefixSet(lists[0]) : PrefixSet(lists.joined())
        if !excluded.isEmpty { set = set.subtracting(PrefixSet(excluded.joined())) }
        return set.prefixes()
    }
}

extension ExportList {
    /// One tag as `stag export NAME [--exclude TAG]... [--ipv4 | --ipv6] [--aggregate]` selects it
    /// from its file, given the excluded tags found in that file, but empty instead of an error
    /// when nothing is left. This is how `stag diff --format FMT` reads each side of a tag, so its
    /// delta applies on top of what `stag export` loaded (same prefixes, same form).
    ///
    /// `cover` asks for the minimal exact CIDR cover; `stag export` takes it with `--aggregate` or
    /// an exclusion, and the diff passes the same for both files (`--aggregate` or `--exclude`
    /// given), so both sides keep one form even when an excluded tag is missing from one file.
    /// - Complexity: O(n log n) for the tag's and the excluded tags' n prefixes; O(n) when the
    ///   tag lists them sorted and nothing is covered.
    public init(tag: ServiceTag, excluding excluded: [ServiceTag], families: ExportFamilies, cover: Bool, changeNumber: Int?) {
        let byteOrder: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let cover = cover || !excluded.isEmpty
        let v4 = families.includesIPv4 ? Self.select([tag.ipv4], minus: excluded.map(\.ipv4), cover: cover) : []
        let v6 = families.includesIPv6 ? Self.select([tag.ipv6], minus: excluded.map(\.ipv6), cover: cover) : []
        self.init(sortedTags: [tag.name], excluded: Array(Set(excluded.map(\.name))).sorted(by: byteOrder), v4: v4, v6: v6,
                  changeNumber: changeNumber, families: families, sources: [tag])
    }
}

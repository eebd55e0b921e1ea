/// What to export from a file: `stag export TAG... [--exclude TAG]... [--ipv4|--ipv6] [--aggregate]`.
public struct ExportSelection: Sendable {
    /// Tags to take (exact names or globs); their union is exported.
    public var include: TagSelection
    /// Tags whose address space is taken away.
    public var exclude: TagSelection
    public var families: ExportFamilies
    /// Merge to the minimal exact CIDR cover.
    public var aggregate: Bool

    public init(include: TagSelection, exclude: TagSelection = .all, families: ExportFamilies = .both, aggregate: Bool = false) {
        self.include = include
        self.exclude = exclude
        self.families = families
        self.aggregate = aggregate
    }

    public init(include: [TagPattern], exclude: [TagPattern] = [], families: ExportFamilies = .both, aggregate: Bool = false) {
        self.init(include: TagSelection(include), exclude: TagSelection(exclude), families: families, aggregate: aggregate)
    }

    /// Whether the lists are minimal covers: `--aggregate`, or an exclusion (a subtraction cuts
    /// prefixes, so only a cover describes what is left). Decided by the patterns, not by what
    /// they match in a file, so both sides of a delta keep one form.
    public var covers: Bool { aggregate || !exclude.selectsAll }

    /// The positions in `names` of the excluded tags. Unlike `include`, no pattern means nothing.
    public func excludedPositions(in names: [String]) -> [Int] {
        exclude.selectsAll ? [] : exclude.matchingPositions(in: names)
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
        let names = file.tags.map(\.name)
        do {
            try selection.include.check([names], scope: .file)
            try selection.exclude.check([names], scope: .file)
        } catch {
            throw .selection(error)
        }
        self.init(file, selecting: selection, names: names)
        if isEmpty { throw ExportError.emptySelection }
    }

    /// The selection's prefixes from `file` as `init(_:selecting:)` takes them, but a pattern
    /// that selects nothing in this file, or an empty result, is not an error. This is one side of
    /// a union delta (`stag diff --tag A --tag 'B.*' --name corp`): a tag may be new in NEW.
    /// - Complexity: as `init(_:selecting:)`.
    public init(tolerating file: ServiceTagsFile, selecting selection: ExportSelection) {
        self.init(file, selecting: selection, names: file.tags.map(\.name))
    }

    private init(_ file: ServiceTagsFile, selecting selection: ExportSelection, names: [String]) {
        let excluded = selection.excludedPositions(in: names)
        let excludedNames = Set(excluded.map { names[$0] })
        let sources = selection.include.matchingPositions(in: names).map { file.tags[$0] }
        let kept = sources.map(\.name).filter { !excludedNames.contains($0) }
        let byteOrder: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let cover = selection.covers
        let fam = selection.families
        let v4 = fam.includesIPv4 ? Self.select(sources.map(\.ipv4), minus: excluded.map { file.tags[$0].ipv4 }, cover: cover) : []
        let v6 = fam.includesIPv6 ? Self.select(sources.map(\.ipv6), minus: excluded.map { file.tags[$0].ipv6 }, cover: cover) : []
        self.init(sortedTags: Array(Set(kept)).sorted(by: byteOrder), excluded: excludedNames.sorted(by: byteOrder), v4: v4, v6: v6,
                  changeNumber: file.changeNumber, families: fam, sources: sources)
    }

    /// The union of `lists`, minus `excluded`; a minimal cover when `cover`.
    static func select<A>(_ lists: [[Prefix<A>]], minus excluded: [[Prefix<A>]], cover: Bool) -> [Prefix<A>] {
        if !cover {
            if lists.isEmpty { return [] }
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

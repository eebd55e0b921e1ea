/// "Next week" from "this week": the kinds of change seen between consecutive real files.
extension SyntheticServiceTags {
    public struct NextWeekOptions: Hashable, Sendable {
        /// Share of leaf tags (tags that are no other tag's union) whose prefixes change; at least one.
        public var changedTagFraction: Double
        public var addedTags: Int
        public var droppedTags: Int
        /// When `true`, about every other week one changed tag keeps its `changeNumber` and, independently,
        /// one unchanged tag has its `changeNumber` bumped: the anomalies a diff should report.
        public var anomalies: Bool

        public init(changedTagFraction: Double = 0.05, addedTags: Int = 2, droppedTags: Int = 1, anomalies: Bool = true) {
            self.changedTagFraction = changedTagFraction
            self.addedTags = addedTags
            self.droppedTags = droppedTags
            self.anomalies = anomalies
        }
    }

    /// The new file and what was done to it; every name list is in the order of the file it refers to.
    public struct NextWeek: Sendable {
        public var file: ServiceTagsFile
        /// Tags in both weeks whose prefix sets differ (leaves edited and the union tags above them).
        public var changedTags: [String] = []
        /// Changed tags whose `changeNumber` was deliberately not bumped.
        public var unbumpedTags: [String] = []
        /// Unchanged tags whose `changeNumber` was bumped anyway.
        public var bumpedUnchangedTags: [String] = []
        public var addedTags: [String] = []
        /// Names from last week's file.
        public var droppedTags: [String] = []
    }

    /// Next week's file: prefixes added, removed, split (a /23 into two /24s) and merged in a few
    /// tags and their union tags, tags added and dropped, `changeNumber`s bumped.
    public static func nextWeek(of file: ServiceTagsFile, seed: UInt64) -> ServiceTagsFile {
        evolve(file, seed: seed).file
    }

    /// `nextWeek(of:seed:)` with options and a log of what was done.
    ///
    /// A regional tag `X.Y` (region not `""`) is a leaf whose union tag is the global tag `X`, if there
    /// is one; edits to a leaf are applied to its union tag too (removed prefixes removed where listed
    /// exactly, added ones added), as Microsoft's files do. Works on any file, not only generated ones.
    /// - Complexity: O(total prefixes) plus O(k^2) per edited tag of k prefixes.
    public static func evolve(_ file: ServiceTagsFile, seed: UInt64, options: NextWeekOptions = .init()) -> NextWeek {
        var rng = SplitMix64(seed: seed)
        var tags = file.tags
        let indexByName = Dictionary(tags.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        func parent(_ t: ServiceTag) -> Int? {
            guard !t.region.isEmpty, let dot = t.name.firstIndex(of: "."),
                  let i = indexByName[String(t.name[..<dot])], tags[i].region.isEmpty else { return nil }
            return i
        }
        let parents = tags.map(parent)
        let isUnion = Set(parents.compactMap { $0 })
        var leaves = tags.indices.filter { !isUnion.contains($0) && tags[$0].prefixCount > 0 }
        rng.shuffle(&leaves)
        let editCount = leaves.isEmpty ? 0 : max(1, Int(Double(leaves.count) * options.changedTagFraction))
        var edited = Set<Int>()
        for i in leaves.prefix(editCount) {
            edited.insert(i)
            for _ in 0..<rng.int(in: 1...3) {
                let useV6 = tags[i].ipv4.isEmpty || (!tags[i].ipv6.isEmpty && rng.chance(0.3))
                if useV6 {
                    let e = rng.edit(&tags[i].ipv6)
                    if let u = parents[i] { tags[u].ipv6.apply(e) }
                } else {
                    let e = rng.edit(&tags[i].ipv4)
                    if let u = parents[i] { tags[u].ipv4.apply(e) }
                }
            }
        }

        var log = NextWeek(file: file)
        let changed = tags.indices.filter { Set(tags[$0].ipv4) != Set(file.tags[$0].ipv4) || Set(tags[$0].ipv6) != Set(file.tags[$0].ipv6) }
        let changedSet = Set(changed)
        var unbumped: Int? = nil, bumpedUnchanged: Int? = nil
        if options.anomalies, !changed.isEmpty, rng.chance(0.5) { unbumped = rng.element(of: changed) }
        let unchanged = tags.indices.filter { !changedSet.contains($0) && tags[$0].changeNumber != nil }
        if options.anomalies, !unchanged.isEmpty, rng.chance(0.5) { bumpedUnchanged = rng.element(of: unchanged) }
        for i in tags.indices where (changedSet.contains(i) && i != unbumped) || i == bumpedUnchanged {
            tags[i].changeNumber = tags[i].changeNumber.map { $0 + 1 }
        }
        log.changedTags = changed.map { tags[$0].name }
        log.unbumpedTags = unbumped.map { [tags[$0].name] } ?? []
        log.bumpedUnchangedTags = bumpedUnchanged.map { [tags[$0].name] } ?? []

        // Drop untouched leaves outside the AzureCloud family (index order kept for the log).
        var droppable = leaves.filter { !edited.contains($0) && !tags[$0].name.hasPrefix("AzureCloud") && $0 != bumpedUnchanged }
        rng.shuffle(&droppable)
        let dropped = Set(droppable.prefix(options.droppedTags))
        log.droppedTags = tags.indices.filter(dropped.contains).map { tags[$0].name }
        tags = tags.indices.filter { !dropped.contains($0) }.map { tags[$0] }

        // New global tags with a few prefixes carved inside existing ones.
        let sources4 = tags.flatMap(\.ipv4), sources6 = tags.flatMap(\.ipv6)
        var names = Set(tags.map(\.name))
        for _ in 0..<options.addedTags {
            var k = 1
            while names.contains("NewService\(k)") { k += 1 }
            let name = "NewService\(k)"
            names.insert(name)
            var tag = ServiceTag(name: name, id: name, changeNumber: 1, region: "", regionId: 0, platform: "Azure",
                                 systemService: name, networkFeatures: featureChoices[rng.weightedIndex(featureChoices.map(\.weight))].features)
            for _ in 0..<rng.int(in: 1...5) {
                if !sources6.isEmpty, sources4.isEmpty || rng.chance(0.3) {
                    tag.ipv6.append(rng.carve(inside: rng.element(of: sources6), length: LengthDistribution.draw(LengthDistribution.v6Service, &rng)))
                } else if !sources4.isEmpty {
                    tag.ipv4.append(rng.carve(inside: rng.element(of: sources4), length: LengthDistribution.draw(LengthDistribution.v4Service, &rng)))
                }
            }
            tag.ipv4 = tag.ipv4.normalizedPrefixes()
            tag.ipv6 = tag.ipv6.normalizedPrefixes()
            tags.insert(tag, at: rng.int(in: 0...max(0, tags.count - 1)))
            log.addedTags.append(name)
        }
        log.addedTags = tags.map(\.name).filter(Set(log.addedTags).contains)

        log.file = ServiceTagsFile(changeNumber: file.changeNumber.map { $0 + 1 }, cloud: file.cloud, tags: tags)
        return log
    }
}

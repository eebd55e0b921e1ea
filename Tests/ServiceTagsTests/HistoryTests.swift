import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `AddressHistoryBuilder` (both ways of adding a file: the sweep over a parsed file and the
/// probe of its `TagIndex`) and `TagHistoryBuilder`, against `ReferenceHistory`: a linear scan of
/// every tag's prefixes per file and query, then run-length grouping; per-file `Set` differences.
@Suite struct HistoryTests {
    static let sample = HistorySamples.archive(weeks: 7, seed: 5)

    static func build(_ files: [ServiceTagsFile], _ queries: [IPPrefix], patterns: [TagPattern] = [], index: Bool) -> [ReferenceHistory.History] {
        var b = AddressHistoryBuilder(queries: queries)
        for f in files {
            if index { b.add(TagIndexBuilder(f).finish(), selecting: TagSelection(patterns)) } else { b.add(f, selecting: TagSelection(patterns)) }
        }
        #expect(b.files == files.count)
        return b.finish().map(HistorySamples.reference)
    }

    static func expected(_ files: [ServiceTagsFile], _ queries: [IPPrefix], patterns: [TagPattern] = []) -> [ReferenceHistory.History] {
        let answers = files.map { ReferenceHistory.linearAnswers($0, queries, select: { patterns.isEmpty || patterns.anyMatches($0) }) }
        return ReferenceHistory.histories(answers, queries: queries.count)
    }

    /// Reports the first query that differs (a whole dump of hundreds of histories helps nobody).
    static func expectSame(_ got: [ReferenceHistory.History], _ want: [ReferenceHistory.History], _ queries: [IPPrefix],
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        for q in queries.indices where got[q] != want[q] {
            Issue.record("\(queries[q]): got \(got[q]), want \(want[q])", sourceLocation: sourceLocation)
            return
        }
    }

    @Test(arguments: [false, true])
    func intervalsMatchTheLinearScanReference(index: Bool) {
        let (files, _) = Self.sample
        let queries = HistorySamples.queries(files, count: 300, seed: 9)
        let want = Self.expected(files, queries)
        Self.expectSame(Self.build(files, queries, index: index), want, queries)
        // The sample must exercise what intervals are for: a query leaving and re-entering a tag,
        // a prefix change within a tag, and queries in no tag at all.
        #expect(want.contains { $0.values.contains { $0.count > 1 } })
        #expect(want.contains { $0.values.contains { runs in zip(runs, runs.dropFirst()).contains { $0.last + 1 == $1.first } } })
        #expect(want.contains { $0.isEmpty })
    }

    @Test(arguments: [false, true])
    func tagSelectionRestrictsTheAnswers(index: Bool) {
        let (files, gapTag) = Self.sample
        let queries = HistorySamples.queries(files, count: 150, seed: 10)
        let patterns = [TagPattern("AzureCloud.*"), TagPattern(gapTag)]
        let want = Self.expected(files, queries, patterns: patterns)
        Self.expectSame(Self.build(files, queries, patterns: patterns, index: index), want, queries)
        #expect(want.contains { $0[gapTag] != nil })
    }

    /// A tag missing from one file splits its runs there: the intervals before and after are separate.
    @Test func aTagAbsentFromOneFileSplitsItsInterval() {
        let (files, gapTag) = Self.sample
        let gap = files.count / 2
        let tag = files[0].tags.first { $0.name == gapTag }!
        let p: IPPrefix = tag.ipv4.first.map(IPPrefix.v4) ?? .v6(tag.ipv6[0])
        var b = AddressHistoryBuilder(queries: [p])
        for f in files { b.add(f) }
        let runs = b.finish()[0].tags.first { $0.name == gapTag }!.intervals
        #expect(runs.contains { $0.last == gap - 1 } && runs.contains { $0.first == gap + 1 })
        #expect(!runs.contains { ($0.first...$0.last).contains(gap) })
    }

    @Test func answersGivenDirectlyGiveTheSameIntervals() {
        let (files, _) = Self.sample
        let queries = HistorySamples.queries(files, count: 80, seed: 11)
        var b = AddressHistoryBuilder(queries: queries)
        for f in files {
            b.add(answers: ReferenceHistory.linearAnswers(f, queries).map { $0.map { (name: $0.key, prefix: $0.value) } })
        }
        Self.expectSame(b.finish().map(HistorySamples.reference), Self.expected(files, queries), queries)
    }

    @Test func tagWeeksMatchSetDifferences() {
        let (files, gapTag) = Self.sample
        var b = TagHistoryBuilder(selection: TagSelection([TagPattern("AzureCloud"), TagPattern(gapTag), TagPattern("Storage*")]))
        for f in files { b.add(f.tags) }
        let histories = b.finish()
        let names = Set(files.flatMap { $0.tags.map(\.name) }).filter { b.selects($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(histories.map(\.name) == names)
        for h in histories {
            let want = ReferenceHistory.weeks(of: h.name, in: files)
            #expect(h.weeks == want, "\(h.name)")
        }
        let gap = histories.first { $0.name == gapTag }!.weeks
        let middle = files.count / 2
        #expect(!gap[middle].present && gap[middle].ipv4 == 0 && gap[middle].added.isEmpty)
        #expect(gap[middle].removed.count == gap[middle - 1].ipv4 + gap[middle - 1].ipv6)
        #expect(gap[middle + 1].added.count == gap[middle + 1].ipv4 + gap[middle + 1].ipv6)
    }

    /// Real files may list a prefix inside (or twice in) the same tag, which the generator never
    /// does: the longest containing prefix wins, and a query prefix matches only prefixes holding
    /// all of it. IPv4-mapped queries are answered as IPv4.
    @Test(arguments: [false, true])
    func nestedAndRepeatedPrefixesOfOneTag(index: Bool) {
        func p4(_ a: UInt32, _ l: Int) -> IPv4Prefix { IPv4Prefix(address: IPv4Address(bits: a), length: l)! }
        let tag = ServiceTag(name: "T", ipv4: [p4(0x0A01_0000, 16), p4(0x0A00_0000, 8), p4(0x0A01_0000, 16), p4(0x0A01_0200, 25)])
        let files = [ServiceTagsFile(cloud: "Public", tags: [tag]), ServiceTagsFile(cloud: "Public", tags: [ServiceTag(name: "T", ipv4: [p4(0x0A00_0000, 8)])])]
        let queries: [IPPrefix] = [
            AddressHistory.query(for: .v4(IPv4Address(bits: 0x0A01_0203))),                            // 10.1.2.3: /25, then /8
            .v4(p4(0x0A01_0200, 24)),                                                                   // 10.1.2.0/24: /16 (not the /25)
            AddressHistory.query(for: .v6(IPv6Address(bits: 0xFFFF_0000_0000 | 0x0A01_0300))),         // ::ffff:10.1.3.0: /16, then /8
            AddressHistory.query(for: .v6(IPv6Address(bits: 0x2001_0db8 << 96))),                     // in nothing
        ]
        #expect(Self.build(files, queries, index: index) == Self.expected(files, queries))
        #expect(Self.build(files, queries, index: index).map { $0["T"]?.map(\.prefix.length) ?? [] } == [[25, 8], [16, 8], [16, 8], []])
    }

    /// Names: sorted by date, weekly-name suffixes allowed, and each fault named.
    @Test func archiveOrdersByDateAndNamesItsFaults() throws {
        let a = try HistoryArchive(fileNames: ["ServiceTags_Public_20240422.json", "ServiceTags_Public_20240415.json"], directory: "d")
        #expect(a.entries.map(\.path) == ["d/ServiceTags_Public_20240415.json", "d/ServiceTags_Public_20240422.json"])
        #expect(a.from == "2024-04-15" && a.to == "2024-04-22" && a.cloud == .public)

        func fault(_ names: [String], cloud: ServiceTagsCloud? = nil) -> String {
            do { _ = try HistoryArchive(fileNames: names, directory: "d", cloud: cloud); return "" } catch { return error.description }
        }
        #expect(fault(["ServiceTags_Public_20240415.json", "notes.json", "ServiceTags_Public.json"])
                == "files without a cloud and date in their name (ServiceTags_<Cloud>_YYYYMMDD.json) in d: ServiceTags_Public.json, notes.json")
        #expect(fault(["ServiceTags_Public_20240415.json", "ServiceTags_AzureGovernment_20240415.json"])
                == "files of more than one cloud in d (choose one with --cloud): public: ServiceTags_Public_20240415.json; usgov: ServiceTags_AzureGovernment_20240415.json")
        #expect(fault(["ServiceTags_Public_20240415.json", "ServiceTags_Public_20240415 (1).json"])
                == "more than one file of the same date in d: ServiceTags_Public_20240415 (1).json, ServiceTags_Public_20240415.json")
        #expect(fault([]) == "no weekly files (ServiceTags_<Cloud>_YYYYMMDD.json) in d")
        #expect(fault(["ServiceTags_Public_20240415.json"], cloud: .china) == "no weekly files of cloud china (ServiceTags_<Cloud>_YYYYMMDD.json) in d")
        #expect(fault(["ServiceTags_Public_20241315.json"]).hasPrefix("files without a cloud and date"))
        let usgov = try HistoryArchive(fileNames: ["ServiceTags_Public_20240415.json", "ServiceTags_AzureGovernment_20240415.json"],
                                       directory: "d", cloud: .usgov)
        #expect(usgov.entries.map(\.fileName) == ["ServiceTags_AzureGovernment_20240415.json"])
        #expect(throws: HistoryArchiveError.self) {
            try usgov.checkCloud(ServiceTagsFile(cloud: "Public"), of: usgov.entries[0])
        }
    }
}

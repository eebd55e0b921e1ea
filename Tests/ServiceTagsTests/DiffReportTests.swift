import ServiceTagsTestSupport
import Testing

/// The nightly report's library side: address counts over the selection's union, judged by slow
/// references (a `Set` of addresses, `ReferenceIntervals`), and each file-level anomaly kind on a
/// hand-made pair.
@Suite struct DiffReportTests {
    typealias T = DiffTesting
    typealias Interval = ReferenceIntervals.Interval

    /// The addresses in `a` and not in `b`, counted from plain intervals.
    static func referenceCount(_ a: [Interval], minus b: [Interval]) -> UInt128 {
        ReferenceIntervals.subtracting(a, b).reduce(0) { $0 + ($1.upperBound - $1.lowerBound + 1) }
    }

    /// The four counts as the interval reference sees them, over the tags `isSelected` picks.
    static func referenceCounts(_ old: ServiceTagsFile, _ new: ServiceTagsFile,
                                _ isSelected: (String) -> Bool = { _ in true }) -> [UInt128] {
        func union(_ file: ServiceTagsFile) -> ([Interval], [Interval]) {
            let tags = file.tags.filter { isSelected($0.name) }
            return (ReferenceIntervals.merged(tags.flatMap(\.ipv4)), ReferenceIntervals.merged(tags.flatMap(\.ipv6)))
        }
        let (o4, o6) = union(old), (n4, n6) = union(new)
        return [referenceCount(n4, minus: o4), referenceCount(o4, minus: n4),
                referenceCount(n6, minus: o6), referenceCount(o6, minus: n6)]
    }

    static func counts(_ a: ServiceTagsDiff.AddressChange) -> [UInt128?] {
        [a.ipv4Added.exactValue, a.ipv4Removed.exactValue, a.ipv6Added.exactValue, a.ipv6Removed.exactValue]
    }

    @Test func handMadePairCountsEqualASetOfAddresses() {
        // Overlapping tags, a prefix moving between tags (counts nowhere), a split (counts nowhere).
        let old = T.file(T.tag("A", "192.0.2.0/28", "192.0.2.16/28", "2001:db8::/124"),
                         T.tag("B", "192.0.2.8/29", "198.51.100.0/30"), T.tag("C", "203.0.113.0/29"))
        let new = T.file(T.tag("A", "192.0.2.0/29", "192.0.2.16/28", "2001:db8::/125", "2001:db8::10/124"),
                         T.tag("B", "192.0.2.8/29", "203.0.113.0/29"), T.tag("D", "198.51.100.64/31"))
        func addresses(_ file: ServiceTagsFile) -> (Set<UInt32>, Set<UInt128>) {
            var v4 = Set<UInt32>(), v6 = Set<UInt128>()
            for tag in file.tags {
                for p in tag.ipv4 { for x in p.first.bits...p.last.bits { v4.insert(x) } }
                for p in tag.ipv6 { for x in p.first.bits...p.last.bits { v6.insert(x) } }
            }
            return (v4, v6)
        }
        let (o4, o6) = addresses(old), (n4, n6) = addresses(new)
        let expected: [UInt128?] = [n4.subtracting(o4).count, o4.subtracting(n4).count,
                                    n6.subtracting(o6).count, o6.subtracting(n6).count].map { UInt128($0) }
        #expect(expected == [2, 4, 16, 8]) // +198.51.100.64/31, -198.51.100.0/30; +2001:db8::10/124, -2001:db8::8/125
        for mode in [ServiceTagsDiff.Mode.exact, .addressSpace] {
            #expect(Self.counts(ServiceTagsDiff(old: old, new: new, mode: mode).addresses) == expected)
        }
        // A selection counts its own union only: B alone gains 203.0.113.0/29 and loses 198.51.100.0/30.
        let b = ServiceTagsDiff(old: old, new: new, selecting: [TagPattern("B")]).addresses
        #expect(Self.counts(b) == [8, 4, 0, 0])
    }

    @Test func seededPairsCountsEqualTheIntervalReference() {
        for seed in DiffPropertyTests.seeds {
            let (old, new) = DiffVersionPairs.pair(seed: seed)
            let diff = ServiceTagsDiff(old: old, new: new, mode: seed % 2 == 0 ? .exact : .addressSpace)
            #expect(Self.counts(diff.addresses) == Self.referenceCounts(old, new), "seed \(seed)")
            let pattern = TagPattern("Storage*")
            let some = ServiceTagsDiff(old: old, new: new, selecting: [pattern])
            #expect(Self.counts(some.addresses) == Self.referenceCounts(old, new, pattern.matches), "seed \(seed)")
        }
    }

    @Test func nextWeekFilesCountsEqualTheIntervalReference() {
        for seed in UInt64(1)...8 {
            let old = SyntheticServiceTags.file(tags: 30, prefixes: 300, seed: seed)
            let new = SyntheticServiceTags.nextWeek(of: old, seed: seed &* 7919)
            let diff = ServiceTagsDiff(old: old, new: new)
            #expect(Self.counts(diff.addresses) == Self.referenceCounts(old, new), "seed \(seed)")
            #expect(Self.counts(ServiceTagsDiff(old: new, new: old).addresses)
                    == Self.referenceCounts(new, old), "seed \(seed) reversed")
        }
    }

    @Test func theWholeIPv6SpaceIsCountedExactly() {
        let diff = ServiceTagsDiff(old: T.file(), new: T.file(T.tag("All", "::/0", "0.0.0.0/0")))
        #expect(diff.addresses.ipv6Added == .ipv6Space && diff.addresses.ipv4Added == .ipv4Space)
        #expect(diff.addresses.ipv6Added.description == "340282366920938463463374607431768211456")
    }

    // File-level anomalies, each on its own pair.

    @Test func prefixesChangedUnderAnUnchangedFileNumber() {
        let old = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/24"), changeNumber: 30)
        let new = T.file(T.tag("A", changeNumber: 2, "192.0.2.0/25"), changeNumber: 30)
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.anomalies == [.fileChangedWithoutChangeNumber(changeNumber: 30)])
        #expect(diff.anomalies[0].kind == "changedWithoutChangeNumber" && diff.anomalies[0].tag == nil)
        // A tag appearing with prefixes is a change of the file too.
        let grown = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/24"), T.tag("B", "198.51.100.0/24"), changeNumber: 30)
        #expect(ServiceTagsDiff(old: old, new: grown).anomalies == [.fileChangedWithoutChangeNumber(changeNumber: 30)])
    }

    @Test func aFileBumpWithoutAnyPrefixChange() {
        let old = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/24"), changeNumber: 30)
        let new = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/24"), changeNumber: 31)
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.anomalies == [.fileChangeNumberChangedWithoutChange(old: 30, new: 31)])
        #expect(diff.anomalies[0].kind == "changeNumberWithoutChange" && diff.anomalies[0].isPublicationAnomaly)
        // A selection cannot see the other tags' changes, so it does not say so.
        #expect(ServiceTagsDiff(old: old, new: new, selecting: [TagPattern("A")]).anomalies.isEmpty)
        // Metadata alone is no prefix change.
        var meta = new
        meta.tags[0].region = "westeurope"
        #expect(ServiceTagsDiff(old: old, new: meta).anomalies == [.fileChangeNumberChangedWithoutChange(old: 30, new: 31)])
    }

    @Test func aLowerFileNumberAsksAboutSwappingOnlyWhenTheNamesAgree() {
        let old = T.file(T.tag("A", changeNumber: 2, "192.0.2.0/24"), changeNumber: 31)
        let new = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/25"), changeNumber: 30)
        let swapped = ServiceTagsDiff(old: old, new: new, oldName: "/cache/ServiceTags_Public_20251028.json",
                                      newName: "ServiceTags_Public_20251013.json")
        #expect(swapped.anomalies == [.fileChangeNumberDecreased(old: 31, new: 30, namesReversed: true),
                                      .tagChangeNumberDecreased(tag: "A", old: 2, new: 1)])
        #expect(swapped.anomalies[0].description.hasSuffix("are the files swapped?"))
        for (a, b) in [("ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json"),
                       ("old.json", "new.json"), ("-", "ServiceTags_Public_20251013.json")] {
            let diff = ServiceTagsDiff(old: old, new: new, oldName: a, newName: b)
            #expect(diff.anomalies.first == .fileChangeNumberDecreased(old: 31, new: 30, namesReversed: false), "\(a) \(b)")
            #expect(!diff.anomalies[0].description.contains("swapped"))
        }
    }

    @Test func kindsAndTagsOfTheTagLevelAnomalies() {
        let cases: [(DiffAnomaly, String, String?, Bool)] = [
            (.cloudMismatch(old: "Public", new: "AzureChina"), "cloudMismatch", nil, false),
            (.tagChangeNumberDecreased(tag: "A", old: 2, new: 1), "changeNumberDecreased", "A", true),
            (.prefixesChangedWithoutChangeNumber(tag: "B", changeNumber: 3), "changedWithoutChangeNumber", "B", true),
            (.changeNumberChangedWithoutPrefixes(tag: "C", old: 1, new: nil), "changeNumberWithoutChange", "C", true),
        ]
        for (anomaly, kind, tag, publication) in cases {
            #expect(anomaly.kind == kind && anomaly.tag == tag && anomaly.isPublicationAnomaly == publication)
        }
    }

    @Test func datesInNamesAreReadFromTheLastPathComponent() {
        #expect(ServiceTagsFileName.datesReversed(old: "a/ServiceTags_Public_20251028.json", new: "b/ServiceTags_Public_20251013.json"))
        #expect(!ServiceTagsFileName.datesReversed(old: "ServiceTags_Public_20251028.json", new: "ServiceTags_Public_20251028.json"))
        #expect(!ServiceTagsFileName.datesReversed(old: "ServiceTags_Public_20251028.json", new: "x/ServiceTags_Public_2025101.json"))
        #expect(!ServiceTagsFileName.datesReversed(old: nil, new: "ServiceTags_Public_20251013.json"))
    }
}

extension DiffRealDataTests {
    @Test(.realData(oldName, newName)) func realPairAddressCountsEqualTheReference() throws {
        let w = try Self.weeks()
        // The reference reads the files with JSONSerialization and SlowAddressParser.
        func union(_ r: Reference) -> ([ReferenceIntervals.Interval], [ReferenceIntervals.Interval]) {
            (ReferenceIntervals.merged(r.tags.values.flatMap(\.v4)), ReferenceIntervals.merged(r.tags.values.flatMap(\.v6)))
        }
        let (o4, o6) = union(w.before), (n4, n6) = union(w.after)
        let expected = [DiffReportTests.referenceCount(n4, minus: o4), DiffReportTests.referenceCount(o4, minus: n4),
                        DiffReportTests.referenceCount(n6, minus: o6), DiffReportTests.referenceCount(o6, minus: n6)]
        for mode in [ServiceTagsDiff.Mode.exact, .addressSpace] {
            let diff = ServiceTagsDiff(old: w.old, new: w.new, mode: mode)
            #expect(DiffReportTests.counts(diff.addresses) == expected.map { Optional($0) })
        }
    }
}

import ServiceTagsTestSupport
import Testing

/// Hand-made cases for `ServiceTagsDiff`, each with its expected answer written out.
@Suite struct DiffTests {
    typealias T = DiffTesting

    static let sample = T.file(
        T.tag("AzureCloud", changeNumber: 7, "192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32"),
        T.tag("Storage.WestEurope", changeNumber: 3, region: "westeurope", regionId: 18, "203.0.113.0/25"),
        T.tag("Sql", changeNumber: 1, "203.0.113.128/25"))

    @Test func aFileDiffedWithItselfIsEmpty() {
        for mode in [ServiceTagsDiff.Mode.exact, .addressSpace] {
            let diff = ServiceTagsDiff(old: Self.sample, new: Self.sample, mode: mode)
            #expect(diff.tags.isEmpty && diff.anomalies.isEmpty && !diff.hasDifferences)
            #expect(diff.summary == ServiceTagsDiff.Summary())
        }
    }

    @Test func aChangedTopLevelChangeNumberAloneIsNotADifference() {
        var new = Self.sample
        new.changeNumber = 2
        let diff = ServiceTagsDiff(old: Self.sample, new: new)
        #expect(!diff.hasDifferences && diff.tags.isEmpty)
        #expect(diff.old.changeNumber == 1 && diff.new.changeNumber == 2)
    }

    @Test func anEqualTopLevelChangeNumberDoesNotSkipTheComparison() {
        var new = Self.sample
        new.tags[2].ipv4 = []
        new.tags[2].changeNumber = 2
        let diff = ServiceTagsDiff(old: Self.sample, new: new)
        #expect(diff.hasDifferences)
        #expect(diff.tags.map(\.name) == ["Sql"])
        #expect(T.texts(diff.tags[0].removed) == ["203.0.113.128/25"])
        #expect(diff.anomalies == [.fileChangedWithoutChangeNumber(changeNumber: 1)]) // and it is flagged
    }

    @Test func exactDiffListsPrefixesOnlyInOneSideSortedIPv4First() {
        let old = T.file(T.tag("A", changeNumber: 1, "2001:db8::/32", "198.51.100.0/24", "192.0.2.0/24"))
        let new = T.file(T.tag("A", changeNumber: 2, "2001:db8:1::/48", "203.0.113.0/24", "192.0.2.0/24",
                               "10.0.0.0/16", "10.0.0.0/8", "198.51.100.0/25"), changeNumber: 2)
        let diff = ServiceTagsDiff(old: old, new: new)
        let tag = try! #require(diff.tags.first)
        #expect(tag.status == .changed && tag.prefixesChanged && tag.isDifference)
        #expect(T.texts(tag.added) == ["10.0.0.0/8", "10.0.0.0/16", "198.51.100.0/25", "203.0.113.0/24", "2001:db8:1::/48"])
        #expect(T.texts(tag.removed) == ["198.51.100.0/24", "2001:db8::/32"])
        #expect(tag.oldChangeNumber == 1 && tag.newChangeNumber == 2 && tag.metadata.isEmpty)
        #expect(diff.summary.tagsChanged == 1 && diff.summary.prefixesAdded == 5 && diff.summary.prefixesRemoved == 2)
        #expect(diff.anomalies.isEmpty)
    }

    @Test func orderAndDuplicatesInAFileAreNotChanges() {
        let old = T.file(T.tag("A", "192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32"))
        let new = T.file(T.tag("A", "2001:db8::/32", "198.51.100.0/24", "192.0.2.0/24", "192.0.2.0/24"))
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.tags.isEmpty && diff.anomalies.isEmpty)
    }

    @Test func addedAndRemovedTagsCarryAllTheirPrefixes() {
        let old = T.file(T.tag("Gone", changeNumber: 4, "198.51.100.0/24", "192.0.2.0/24", "192.0.2.0/24"))
        let new = T.file(T.tag("Fresh", changeNumber: 1, "2001:db8::/48", "203.0.113.0/24"), T.tag("Empty", changeNumber: nil))
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.tags.map(\.name) == ["Empty", "Fresh", "Gone"])
        let (empty, fresh, gone) = (diff.tags[0], diff.tags[1], diff.tags[2])
        #expect(empty.status == .added && empty.added.isEmpty && empty.oldChangeNumber == nil && empty.newChangeNumber == nil)
        #expect(fresh.status == .added && T.texts(fresh.added) == ["203.0.113.0/24", "2001:db8::/48"] && fresh.removed.isEmpty)
        #expect(fresh.oldChangeNumber == nil && fresh.newChangeNumber == 1 && fresh.metadata.isEmpty)
        #expect(gone.status == .removed && T.texts(gone.removed) == ["192.0.2.0/24", "198.51.100.0/24"] && gone.added.isEmpty)
        #expect(gone.oldChangeNumber == 4 && gone.newChangeNumber == nil)
        let s = diff.summary
        #expect(s.tagsAdded == 2 && s.tagsRemoved == 1 && s.tagsChanged == 0 && s.prefixesAdded == 2 && s.prefixesRemoved == 2)
    }

    @Test func metadataChangesAreReportedPerFieldAndFeaturesAsASet() {
        let old = T.file(T.tag("A", changeNumber: 1, region: "", regionId: nil, systemService: "AzureSQL",
                               networkFeatures: ["API", "NSG"], "192.0.2.0/24"),
                         T.tag("B", changeNumber: 1, networkFeatures: ["API", "NSG"]))
        var new = T.file(T.tag("A", changeNumber: 2, region: "westeurope", regionId: 18, systemService: "AzureSQL",
                               networkFeatures: ["API", "NSG", "FW"], "192.0.2.0/24"),
                         T.tag("B", changeNumber: 1, networkFeatures: ["NSG", "API"]))
        new.tags[0].platform = "Other"
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.tags.map(\.name) == ["A"]) // B's features only changed order
        let changes = diff.tags[0].metadata
        #expect(changes.map(\.field) == [.region, .regionId, .platform, .networkFeatures])
        #expect(changes[0].old == .string("") && changes[0].new == .string("westeurope"))
        #expect(changes[1].old == .absent && changes[1].new == .integer(18))
        #expect(changes[3].old == .strings(["API", "NSG"]) && changes[3].new == .strings(["API", "NSG", "FW"]))
        #expect(!diff.tags[0].prefixesChanged && diff.tags[0].isDifference)
        // The changeNumber moved with metadata only: warned all the same (its prefixes did not change).
        #expect(diff.anomalies == [.changeNumberChangedWithoutPrefixes(tag: "A", old: 1, new: 2)])
    }

    @Test func absentFeaturesDifferFromAnEmptyList() {
        let old = T.file(T.tag("A", networkFeatures: nil))
        let new = T.file(T.tag("A", networkFeatures: []))
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.tags.first?.metadata == [MetadataChange(field: .networkFeatures, old: .absent, new: .strings([]))])
    }

    @Test func aChangeNumberAloneIsListedAndWarned() {
        let old = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/24"))
        let new = T.file(T.tag("A", changeNumber: 2, "192.0.2.0/24"))
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.tags.count == 1 && diff.tags[0].changeNumberChanged && diff.hasDifferences)
        #expect(diff.anomalies == [.changeNumberChangedWithoutPrefixes(tag: "A", old: 1, new: 2)])
    }

    @Test func prefixesChangedWithoutChangeNumberAndLowerNumbersAreAnomalies() {
        let old = T.file(T.tag("A", changeNumber: 5, "192.0.2.0/24"), T.tag("B", changeNumber: 9, "198.51.100.0/24"),
                         changeNumber: 40)
        let new = T.file(T.tag("A", changeNumber: 5, "192.0.2.0/25"), T.tag("B", changeNumber: 8, "198.51.100.0/25"),
                         changeNumber: 39)
        let diff = ServiceTagsDiff(old: old, new: new)
        #expect(diff.anomalies == [
            .fileChangeNumberDecreased(old: 40, new: 39, namesReversed: false),
            .prefixesChangedWithoutChangeNumber(tag: "A", changeNumber: 5),
            .tagChangeNumberDecreased(tag: "B", old: 9, new: 8),
        ])
        #expect(diff.anomalies.allSatisfy { !$0.description.isEmpty })
    }

    @Test func differentCloudsAreAnAnomaly() {
        let diff = ServiceTagsDiff(old: T.file(cloud: "Public"), new: T.file(cloud: "AzureGovernment"))
        #expect(diff.anomalies == [.cloudMismatch(old: "Public", new: "AzureGovernment")])
        #expect(!diff.hasDifferences)
    }

    @Test func tagsAreSortedByNameInByteOrder() {
        // Byte order puts upper case before lower case and "a" before "a.x" before "b".
        let names = ["b", "a.x", "Zeta", "a", "B", "\u{00C4}x", "a-x"]
        let new = ServiceTagsFile(changeNumber: 1, cloud: "Public", tags: names.map { T.tag($0) })
        let diff = ServiceTagsDiff(old: T.file(), new: new)
        let expected = names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(diff.tags.map(\.name) == expected)
        #expect(expected == ["B", "Zeta", "a", "a-x", "a.x", "b", "\u{00C4}x"])
    }

    @Test func tagsArePairedByNameWhateverTheirOrder() {
        var new = Self.sample
        new.tags.reverse()
        new.tags[0].changeNumber = 2 // Sql
        new.tags[0].ipv4.append(SetTesting.v4("192.0.2.128/25"))
        let diff = ServiceTagsDiff(old: Self.sample, new: new)
        #expect(diff.tags.map(\.name) == ["Sql"] && diff.tags[0].status == .changed)
        #expect(T.texts(diff.tags[0].added) == ["192.0.2.128/25"])
    }

    @Test func patternsSelectTagsByNameOrGlobInEitherFile() {
        let old = T.file(T.tag("AzureCloud", "192.0.2.0/24"), T.tag("Storage.EastUS", "198.51.100.0/24"),
                         T.tag("Storage.WestEurope", "203.0.113.0/24"))
        let new = T.file(T.tag("AzureCloud", "192.0.2.0/25"), T.tag("Storage.WestEurope", "203.0.113.0/25"),
                         T.tag("Sql", "2001:db8::/32"))
        let all = ServiceTagsDiff(old: old, new: new)
        #expect(all.tags.map(\.name) == ["AzureCloud", "Sql", "Storage.EastUS", "Storage.WestEurope"])
        let storage = ServiceTagsDiff(old: old, new: new, selecting: [TagPattern("Storage.*")])
        #expect(storage.tags.map(\.name) == ["Storage.EastUS", "Storage.WestEurope"])
        let two = ServiceTagsDiff(old: old, new: new, selecting: [TagPattern("Sql"), TagPattern("AzureCloud")])
        #expect(two.tags.map(\.name) == ["AzureCloud", "Sql"])
        let none = ServiceTagsDiff(old: old, new: new, selecting: [TagPattern("azurecloud")]) // case-sensitive
        #expect(none.tags.isEmpty && !none.hasDifferences)
    }

    @Test func aSplitPrefixIsReexpressedByAddressSpace() {
        let old = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/23", "2001:db8::/32"))
        let new = T.file(T.tag("A", changeNumber: 2, "192.0.3.0/24", "192.0.2.0/24", "2001:db8::/33", "2001:db8:8000::/33"))
        let semantic = ServiceTagsDiff(old: old, new: new, mode: .addressSpace)
        let tag = try! #require(semantic.tags.first)
        #expect(tag.isReexpressed && !tag.isDifference && tag.added.isEmpty && tag.removed.isEmpty)
        #expect(!semantic.hasDifferences && semantic.differences.isEmpty)
        #expect(semantic.summary.tagsReexpressed == 1 && semantic.summary.tagsChanged == 0)

        let exact = ServiceTagsDiff(old: old, new: new)
        #expect(exact.hasDifferences && !exact.tags[0].isReexpressed)
        #expect(T.texts(exact.tags[0].added) == ["192.0.2.0/24", "192.0.3.0/24", "2001:db8::/33", "2001:db8:8000::/33"])
        #expect(T.texts(exact.tags[0].removed) == ["192.0.2.0/23", "2001:db8::/32"])
    }

    @Test func addressSpaceChangesAreMinimalCovers() {
        let old = T.file(T.tag("A", changeNumber: 1, "192.0.2.0/24", "198.51.100.0/25"))
        // Loses 192.0.2.128/26; gains 198.51.100.128/25, which merges with what it had into nothing
        // new to remove, and 203.0.113.0/25 + 203.0.113.128/25, which merge into one /24.
        let new = T.file(T.tag("A", changeNumber: 2, "192.0.2.0/25", "192.0.2.192/26", "198.51.100.0/24",
                               "203.0.113.0/25", "203.0.113.128/25"))
        let diff = ServiceTagsDiff(old: old, new: new, mode: .addressSpace)
        let tag = try! #require(diff.tags.first)
        #expect(T.texts(tag.added) == ["198.51.100.128/25", "203.0.113.0/24"])
        #expect(T.texts(tag.removed) == ["192.0.2.128/26"])
        #expect(tag.isDifference && !tag.isReexpressed)
        #expect(diff.summary.prefixesAdded == 2 && diff.summary.prefixesRemoved == 1)
    }

    @Test func addressSpaceAddedTagsAreAggregatedAndMetadataAloneIsNoDifference() {
        let old = T.file(T.tag("Meta", changeNumber: 1, region: "eastus", "192.0.2.0/24"))
        let new = T.file(T.tag("Meta", changeNumber: 2, region: "eastus2", "192.0.2.0/24"),
                         T.tag("New", "198.51.100.0/25", "198.51.100.128/25", "198.51.100.0/26"))
        let diff = ServiceTagsDiff(old: old, new: new, mode: .addressSpace)
        #expect(diff.tags.map(\.name) == ["Meta", "New"])
        #expect(!diff.tags[0].isDifference && !diff.tags[0].isReexpressed && diff.tags[0].metadata.count == 1)
        #expect(diff.differences.map(\.name) == ["New"])
        #expect(T.texts(diff.tags[1].added) == ["198.51.100.0/24"])
    }
}

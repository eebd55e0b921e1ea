@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Selection: union, exclusion, family filter and aggregation, against bitmap and Set references.
@Suite struct ExportSelectionTests {
    static let u4 = SetTesting.v4("10.0.0.0/20")
    static let u6 = SetTesting.v6("2001:db8::/116")

    static func randomFile(_ rng: inout SplitMix64) -> ServiceTagsFile {
        ServiceTagsFile(changeNumber: 7, tags: (0..<5).map { i in
            ServiceTag(name: "T\(i)", ipv4: Prefix.randomList(in: u4, maxCount: 30, using: &rng) + Prefix.randomSingles(in: u4, using: &rng),
                       ipv6: Prefix.randomList(in: u6, maxCount: 20, using: &rng))
        })
    }

    @Test func unaggregatedUnionIsTheSortedDistinctPrefixesOfTheTags() throws {
        var rng = SplitMix64(seed: 11)
        var listed = 0  // iterations that compared a list: the loop must test something
        for _ in 0..<50 {
            let file = Self.randomFile(&rng)
            let picked = (0..<5).filter { _ in Bool.random(using: &rng) }
            guard !picked.isEmpty else { continue }
            let selection = ExportSelection(include: picked.map { TagPattern("T\($0)") })
            let v4 = Set(picked.flatMap { file.tags[$0].ipv4 }), v6 = Set(picked.flatMap { file.tags[$0].ipv6 })
            guard !v4.isEmpty || !v6.isEmpty else {
                #expect(throws: ExportError.emptySelection) { try ExportList(file, selecting: selection) }
                continue
            }
            let list = try ExportList(file, selecting: selection)
            listed += 1
            // Sorted by address then length, a linear check rather than the same sort.
            #expect(Set(list.v4) == v4 && list.v4.count == v4.count)
            #expect(Set(list.v6) == v6 && list.v6.count == v6.count)
            #expect(zip(list.v4, list.v4.dropFirst()).allSatisfy { $0.address.bits < $1.address.bits || ($0.address == $1.address && $0.length < $1.length) })
            #expect(zip(list.v6, list.v6.dropFirst()).allSatisfy { $0.address.bits < $1.address.bits || ($0.address == $1.address && $0.length < $1.length) })
            #expect(list.tags == picked.map { "T\($0)" })
        }
        #expect(listed >= 25, "only \(listed) of 50 iterations compared a list")
    }

    @Test func aggregationAndExclusionGiveTheMinimalCoverOfTheRemainingAddresses() throws {
        var rng = SplitMix64(seed: 12)
        var listed = 0  // iterations that compared a list: the loop must test something
        defer { #expect(listed >= 30, "only \(listed) of 60 iterations compared a list") }
        for _ in 0..<60 {
            let file = Self.randomFile(&rng)
            let include = (0..<5).filter { _ in Bool.random(using: &rng) }
            let exclude = (0..<5).filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }
            guard !include.isEmpty else { continue }
            let aggregate = exclude.isEmpty ? true : Bool.random(using: &rng)
            var want4 = ReferenceBitmapSet(universe: Self.u4, prefixes: include.flatMap { file.tags[$0].ipv4 })
            var want6 = ReferenceBitmapSet(universe: Self.u6, prefixes: include.flatMap { file.tags[$0].ipv6 })
            want4 = want4.subtracting(ReferenceBitmapSet(universe: Self.u4, prefixes: exclude.flatMap { file.tags[$0].ipv4 }))
            want6 = want6.subtracting(ReferenceBitmapSet(universe: Self.u6, prefixes: exclude.flatMap { file.tags[$0].ipv6 }))
            let selection = ExportSelection(include: include.map { TagPattern("T\($0)") }, exclude: exclude.map { TagPattern("T\($0)") },
                                            aggregate: aggregate)
            if want4.count == 0 && want6.count == 0 {
                #expect(throws: ExportError.emptySelection) { try ExportList(file, selecting: selection) }
                continue
            }
            let list = try ExportList(file, selecting: selection)
            listed += 1
            #expect(list.v4 == want4.minimalCover())
            #expect(list.v6 == want6.minimalCover())
            #expect(list.excluded == exclude.map { "T\($0)" })
            #expect(list.tags == include.filter { !exclude.contains($0) }.map { "T\($0)" })
        }
    }

    @Test func familyFilterKeepsOneFamily() throws {
        let file = ExportFixtures.newFile
        let v4 = try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud.*")], families: .ipv4))
        #expect(v4.v4 == ExportFixtures.newTag.ipv4 && v4.v6.isEmpty && v4.families == .ipv4)
        let v6 = try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud.*")], families: .ipv6))
        #expect(v6.v4.isEmpty && v6.v6 == ExportFixtures.newTag.ipv6)
        let onlyV4 = ServiceTagsFile(tags: [ServiceTag(name: "A", ipv4: [SetTesting.v4("10.0.0.0/8")])])
        #expect(throws: ExportError.emptySelection) { try ExportList(onlyV4, selecting: ExportSelection(include: [TagPattern("A")], families: .ipv6)) }
    }

    @Test func unknownNamesAndEmptyGlobsAreErrorsWithSuggestions() throws {
        let file = ServiceTagsFile(tags: ["AzureCloud", "AzureCloud.westeurope", "Storage.WestEurope"].map { ServiceTag(name: $0, ipv4: [SetTesting.v4("10.0.0.0/8")]) })
        #expect(throws: ExportError.selection(.unknownTag("AzureClod", suggestions: ["AzureCloud"], scope: .file))) {
            try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureClod")]))
        }
        #expect(throws: ExportError.selection(.noTagMatches("Sql.*", scope: .file))) { try ExportList(file, selecting: ExportSelection(include: [TagPattern("Sql.*")])) }
        #expect(throws: ExportError.selection(.unknownTag("Storage", suggestions: ["Storage.WestEurope"], scope: .file))) {
            try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud")], exclude: [TagPattern("Storage")]))
        }
        let error = ExportError.selection(.unknownTag("AzureClod", suggestions: ["AzureCloud"], scope: .file))
        #expect(error.description == "unknown tag 'AzureClod'; did you mean 'AzureCloud'?")
        #expect(throws: ExportError.emptySelection) {
            try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud")], exclude: [TagPattern("Storage.*")]))
        }
    }

    @Test func csvNamesEveryTagWithAnAddressInTheRow() throws {
        let a = ServiceTag(name: "B.Tag", ipv4: ["10.0.0.0/25", "10.0.1.0/24"].map(SetTesting.v4), ipv6: [SetTesting.v6("2001:db8::/64")])
        let b = ServiceTag(name: "A.Tag", ipv4: ["10.0.0.128/25", "10.0.1.0/24"].map(SetTesting.v4))
        let file = ServiceTagsFile(tags: [a, b])
        let exact = try ExportList(file, selecting: ExportSelection(include: [TagPattern("*")]))
        #expect(ExportFixtures.text(try Exporter.export(exact, as: CSVFormat())) == """
        prefix,family,tags
        10.0.0.0/25,ipv4,B.Tag
        10.0.0.128/25,ipv4,A.Tag
        10.0.1.0/24,ipv4,A.Tag B.Tag
        2001:db8::/64,ipv6,B.Tag

        """)
        let merged = try ExportList(file, selecting: ExportSelection(include: [TagPattern("*")], aggregate: true))
        #expect(ExportFixtures.text(try Exporter.export(merged, as: CSVFormat())) == """
        prefix,family,tags
        10.0.0.0/23,ipv4,A.Tag B.Tag
        2001:db8::/64,ipv6,B.Tag

        """)
    }

    @Test func csvQuotesAndDefusesFormulaLikeFields() {
        #expect(CSVFormat.field("A.Tag") == "A.Tag")
        #expect(CSVFormat.field("a,b") == "\"a,b\"")
        #expect(CSVFormat.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVFormat.field("=1+2") == "'=1+2")
        #expect(CSVFormat.field("-x,y") == "\"'-x,y\"")
    }
}

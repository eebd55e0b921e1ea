import Testing
import ServiceTags
import ServiceTagsTestSupport

/// `TagSelection` against the obvious reference: a name is selected when some pattern matches it,
/// and a pattern fails when it matches no name.
@Suite struct TagSelectionTests {
    static let pool = ["AzureCloud", "AzureCloud.westeurope", "AzureCloud.eastus", "Storage", "Storage.WestEurope",
                       "Storage.EastUS", "Sql", "Sql.EastUS", "AzureMonitor", "ActionGroup", "Ab", "B"]
    static let patternPool = ["AzureCloud", "AzureCloud.*", "*.EastUS", "Sql*", "Storage.[EW]*", "Nope", "Nope.*", "B", "?b",
                              "azurecloud", "*", "Storage"]

    @Test func positionsEqualALinearScanOnRandomSelections() throws {
        var rng = SplitMix64(seed: 0x7A65)
        for _ in 0 ..< 400 {
            let names = Self.pool.filter { _ in rng.chance(0.6) }
            // Past eight patterns the exact names are hashed: draw up to twelve to reach both paths.
            let texts = (0 ..< rng.int(in: 0 ... 12)).map { _ in Self.patternPool[rng.int(in: 0 ... Self.patternPool.count - 1)] }
            let selection = TagSelection(texts: texts)
            let expected = names.indices.filter { i in texts.isEmpty || texts.contains { TagPattern($0).matches(names[i]) } }
            #expect(selection.matchingPositions(in: names) == expected, "\(texts) over \(names)")
            let failing = texts.first { t in !names.contains { TagPattern(t).matches($0) } }
            do {
                #expect(try selection.positions(in: names) == expected)
                #expect(failing == nil, "\(texts) over \(names) should have failed on \(failing ?? "")")
            } catch {
                switch error {
                case .unknownTag(let name, _, .file): #expect(name == failing && !TagPattern(name).isGlob)
                case .noTagMatches(let name, .file): #expect(name == failing && TagPattern(name).isGlob)
                default: Issue.record("unexpected \(error)")
                }
            }
        }
    }

    @Test func pairsTakeEitherFileInByteOrder() {
        var rng = SplitMix64(seed: 0x9A1E)
        for _ in 0 ..< 200 {
            let old = Self.pool.filter { _ in rng.chance(0.5) }, new = Self.pool.filter { _ in rng.chance(0.5) }
            let texts = (0 ..< rng.int(in: 0 ... 3)).map { _ in Self.patternPool[rng.int(in: 0 ... Self.patternPool.count - 1)] }
            let selection = TagSelection(texts: texts)
            let wanted = Set(old + new).filter(selection.contains).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let pairs = selection.pairs(old: old, new: new)
            #expect(pairs.map(\.name) == wanted)
            for pair in pairs {
                #expect(pair.old == old.firstIndex(of: pair.name) && pair.new == new.firstIndex(of: pair.name))
            }
        }
    }

    @Test func messagesSuggestNearAndWrongCaseNames() {
        let names = ["AzureCloud", "AzureCloud.westeurope", "Storage.WestEurope"]
        #expect(throws: TagSelectionError.unknownTag("azurecloud", suggestions: ["AzureCloud", "AzureCloud.westeurope"], scope: .file)) {
            try TagSelection(texts: ["azurecloud"]).positions(in: names)
        }
        let wrongCase = TagSelectionError.unknownTag("azurecloud", suggestions: ["AzureCloud"], scope: .file)
        #expect(wrongCase.description == "unknown tag 'azurecloud'; did you mean 'AzureCloud'? (tag names are case-sensitive)")
        let typo = TagSelectionError.unknownTag("Storage.WestEurop", suggestions: ["Storage.WestEurope"], scope: .eitherFile)
        #expect(typo.description == "unknown tag 'Storage.WestEurop' (in neither OLD nor NEW); did you mean 'Storage.WestEurope'?")
        #expect(TagSelectionError.noTagMatches("Sql.*", scope: .eitherFile).description == "no tag in OLD or NEW matches 'Sql.*'")
        #expect(throws: TagSelectionError.noTagMatches("Sql.*", scope: .eitherFile)) {
            try TagSelection(texts: ["Sql.*"]).check([names, ["Storage"]], scope: .eitherFile)
        }
        // A name in only one of the two files is selected.
        #expect(throws: Never.self) { try TagSelection(texts: ["Storage"]).check([names, ["Storage"]], scope: .eitherFile) }
    }
}

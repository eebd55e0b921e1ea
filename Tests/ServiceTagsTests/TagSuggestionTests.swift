import Testing
import ExportTargetModels
import ServiceTagsTestSupport

/// `TagSuggestion` (`stag suggest`) against `SuggestReference`: exact answers equal an exhaustive
/// search, greedy answers never cost more than the plain greedy rule, and the uncovered
/// observations are exactly those no tag holds, on synthetic files and the real Public file.
@Suite struct TagSuggestionTests {
    typealias R = SuggestReference

    /// Checks one sample; `exhaustive` when the sample is small enough for the subset search.
    static func check(_ tags: [ServiceTag], _ index: TagIndex, _ observations: [IPPrefix], exactLimit: Int = TagSuggestion.defaultExactLimit,
                      exhaustive: Bool, sourceLocation: SourceLocation = #_sourceLocation) -> TagSuggestion {
        let (refs, candidates) = TagSuggestion.candidates(for: observations, in: [index])
        let covers = R.covers(tags, observations)
        // Sizes only of the tags holding an observation: no other tag can be part of a cover.
        let costs = tags.indices.map { covers[$0].isEmpty ? TagSuggestion.Cost() : R.cost(tags[$0]) }

        // The index's candidates are the linear scan's, with the same sizes.
        let expected = tags.indices.filter { !covers[$0].isEmpty }
        #expect(refs.map { Int($0.tag) } == expected, sourceLocation: sourceLocation)
        for (ref, c) in zip(refs, candidates) {
            #expect(c.covers == covers[Int(ref.tag)] && c.cost == costs[Int(ref.tag)], "\(tags[Int(ref.tag)].name)", sourceLocation: sourceLocation)
        }

        let s = TagSuggestion(observations: observations.count, candidates: candidates, exactLimit: exactLimit)
        let uncovered = observations.indices.filter { o in !covers.contains { $0.contains(o) } }
        #expect(s.uncovered == uncovered, sourceLocation: sourceLocation)
        // A cover of every coverable observation, with no redundant tag, costing what it says.
        let chosenTags = s.chosen.map { Int(refs[$0].tag) }
        let coveredByChoice = Set(chosenTags.flatMap { covers[$0] })
        #expect(coveredByChoice == Set(observations.indices).subtracting(uncovered), sourceLocation: sourceLocation)
        for t in chosenTags {
            let others = Set(chosenTags.filter { $0 != t }.flatMap { covers[$0] })
            #expect(!Set(covers[t]).isSubset(of: others), "redundant \(tags[t].name)", sourceLocation: sourceLocation)
        }
        #expect(s.cost == chosenTags.reduce(TagSuggestion.Cost()) { $0 + costs[$1] }, sourceLocation: sourceLocation)

        let greedy = R.greedy(covers: covers, costs: costs)
        #expect(s.cost.ipv4 <= greedy.cost.ipv4 && s.cost <= greedy.cost, "\(s.cost) vs greedy \(greedy.cost)", sourceLocation: sourceLocation)
        if exhaustive {
            let best = R.exhaustive(covers: covers, costs: costs, observations: observations.count)
            if s.method == .exact { #expect(s.cost == best, sourceLocation: sourceLocation) }
            #expect(best <= s.cost, sourceLocation: sourceLocation)
        }
        return s
    }

    @Test(arguments: 1 ... 12 as ClosedRange<UInt64>)
    func smallSamplesOfSyntheticFilesAreExact(seed: UInt64) {
        let file = SyntheticServiceTags(.init(tags: 120, prefixes: 1_500, seed: seed)).file
        let index = TagIndexBuilder(file).finish()
        var rng = SplitMix64(seed: seed &* 7919)
        var exact = 0
        for round in 0 ..< 6 {
            let (_, observations) = R.observations(file.tags, count: 1 + round * 2, rng: &rng)
            if Self.check(file.tags, index, observations, exhaustive: true).method == .exact { exact += 1 }
        }
        // The larger samples may have more than 20 candidates left; the small ones never do.
        #expect(exact >= 3)
    }

    @Test(arguments: 1 ... 6 as ClosedRange<UInt64>)
    func forcedGreedyNeverCostsMoreThanTheGreedyRuleAndExhaustiveIsNeverBeaten(seed: UInt64) {
        let file = SyntheticServiceTags(.init(tags: 200, prefixes: 3_000, seed: seed + 100)).file
        let index = TagIndexBuilder(file).finish()
        var rng = SplitMix64(seed: seed)
        for _ in 0 ..< 6 {
            let (_, observations) = R.observations(file.tags, count: 12, rng: &rng)
            let s = Self.check(file.tags, index, observations, exactLimit: 0, exhaustive: true)
            #expect(s.method == .greedy || s.candidatesConsidered == 0)
        }
    }

    @Test(arguments: 1 ... 2 as ClosedRange<UInt64>)
    func largeSamplesOfSyntheticFiles(seed: UInt64) {
        let file = SyntheticServiceTags(.init(tags: 600, prefixes: 10_000, seed: seed + 200)).file
        let index = TagIndexBuilder(file).finish()
        var rng = SplitMix64(seed: seed)
        let (_, observations) = R.observations(file.tags, count: 300, rng: &rng)
        let s = Self.check(file.tags, index, observations, exhaustive: false)
        #expect(s.method == .greedy, "\(s.candidatesConsidered) candidates")
    }

    /// Identical tags: exactly one survives domination, and it is the first.
    @Test func ofIdenticalTagsExactlyOneSurvives() {
        let same = TagSuggestion.Candidate(covers: [0, 1], ipv4Addresses: AddressCount(256), ipv6Addresses: .zero)
        let wider = TagSuggestion.Candidate(covers: [0, 1, 2], ipv4Addresses: AddressCount(1024), ipv6Addresses: .zero)
        let s = TagSuggestion(observations: 4, candidates: [wider, same, same, same])
        #expect(s.candidatesConsidered == 2)
        #expect(s.chosen == [0])
        #expect(s.uncovered == [3])
        let t = TagSuggestion(observations: 2, candidates: [same, same])
        #expect(t.candidatesConsidered == 1 && t.chosen == [0] && t.method == .exact)
        let g = TagSuggestion(observations: 2, candidates: [same, same], exactLimit: 0)
        #expect(g.chosen == [0] && g.method == .greedy)
    }

    static let realName = "ServiceTags_Public_20251028.json"
    static let realTags: [ServiceTag] = FixturePaths.realFile(realName).flatMap { try? ServiceTagsFile(readingFileAt: $0).tags } ?? []
    static let realIndex = TagIndexBuilder(ServiceTagsFile(tags: realTags)).finish()

    @Test(.realData(realName), .tags(.realData), arguments: 1 ... 8 as ClosedRange<UInt64>)
    func smallSamplesOfTheRealFile(seed: UInt64) {
        var rng = SplitMix64(seed: seed &+ 0x5eed)
        for round in 0 ..< 3 {
            let (_, observations) = R.observations(Self.realTags, count: 2 + round * 4, rng: &rng)
            _ = Self.check(Self.realTags, Self.realIndex, observations, exhaustive: true)
        }
    }

    @Test(.realData(realName), .tags(.realData))
    func largeSampleOfTheRealFile() {
        var rng = SplitMix64(seed: 0xb16)
        let (_, observations) = R.observations(Self.realTags, count: 250, rng: &rng)
        let s = Self.check(Self.realTags, Self.realIndex, observations, exhaustive: false)
        #expect(s.method == .greedy)
    }
}

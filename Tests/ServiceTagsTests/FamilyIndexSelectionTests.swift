import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `FamilyIndex.nodesAnswering` against the obvious check per node (`matches(of:)` holds a
/// selected tag), for seeded random selections of a synthetic file's tags, both families.
@Suite struct FamilyIndexSelectionTests {
    @Test(arguments: [1, 2] as [UInt64])
    func equalsAScanOfEachNodesAnswers(seed: UInt64) {
        let file = SyntheticServiceTags(.init(tags: 60, prefixes: 2_000, seed: seed)).file
        let index = TagIndexBuilder(file).finish()
        var rng = SplitMix64(seed: seed)
        for density in [0.0, 0.05, 0.5, 1.0] {
            let selected = file.tags.indices.map { _ in rng.chance(density) }
            func expected<A>(_ f: FamilyIndex<A>, _ s: [Bool]?) -> [Bool] {
                (0 ..< f.prefixes.count).map { n in f.matches(of: UInt32(n)).contains { s?[Int($0.tag)] ?? true } }
            }
            #expect(index.ipv4.nodesAnswering(selected) == expected(index.ipv4, selected))
            #expect(index.ipv6.nodesAnswering(selected) == expected(index.ipv6, selected))
            #expect(index.ipv4.nodesAnswering(nil) == expected(index.ipv4, nil))
        }
    }
}

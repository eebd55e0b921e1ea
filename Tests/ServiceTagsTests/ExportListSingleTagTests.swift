@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `ExportList(tag:excluding:families:cover:changeNumber:)`, the per-tag list `stag diff --format`
/// compares: it must be what `stag export TAG [--exclude E]... [--ipv4|--ipv6] [--aggregate]`
/// selects from the same file (else a delta would not apply on top of that export), and its
/// address space must be the tag's minus the excluded tags', by `IPSet` arithmetic.
@Suite struct ExportListSingleTagTests {
    @Test func matchesTheFileSelectionOfOneTag() throws {
        var rng = SplitMix64(seed: 0x51_6E_7A_6)
        for round in 0..<40 {
            let tags = (0..<6).map { i in
                ServiceTag(name: "Tag\(i).Region",
                           ipv4: ExportFixtures.randomPrefixes(Int.random(in: 0...30, using: &rng), in: ExportRoundTripTests.v4Blocks, using: &rng),
                           ipv6: ExportFixtures.randomPrefixes(Int.random(in: 0...20, using: &rng), in: ExportRoundTripTests.v6Blocks, using: &rng))
            }
            let file = ServiceTagsFile(changeNumber: 300 + round, cloud: "Public", tags: tags)
            for tag in tags {
                let excluded = tags.filter { $0.name != tag.name && Int.random(in: 0..<5, using: &rng) == 0 }
                let families = [ExportFamilies.both, .ipv4, .ipv6][Int.random(in: 0..<3, using: &rng)]
                let aggregate = Bool.random(using: &rng)
                let list = ExportList(tag: tag, excluding: excluded, families: families, cover: aggregate, changeNumber: file.changeNumber)
                let label = "round \(round) \(tag.name) minus \(excluded.map(\.name)) \(families) aggregate \(aggregate)"

                let selection = ExportSelection(include: [TagPattern(tag.name)], exclude: excluded.map { TagPattern($0.name) },
                                                families: families, aggregate: aggregate)
                // `stag export` reports nothing left as an error; the per-tag list is then empty.
                var exported: ExportList?
                do { exported = try ExportList(file, selecting: selection) } catch { #expect(error == .emptySelection, "\(label)") }
                if let exported {
                    #expect(list.v4 == exported.v4 && list.v6 == exported.v6, "\(label)")
                    #expect(list.tags == exported.tags && list.excluded == exported.excluded, "\(label)")
                    #expect(list.changeNumber == exported.changeNumber && list.families == exported.families, "\(label)")
                } else {
                    #expect(list.isEmpty, "\(label): export finds nothing left")
                }

                let keep4 = families.includesIPv4, keep6 = families.includesIPv6
                let space = IPSet(tag.ipv4.filter { _ in keep4 }.map(IPPrefix.v4) + tag.ipv6.filter { _ in keep6 }.map(IPPrefix.v6))
                    .subtracting(IPSet(excluded.flatMap { $0.ipv4.map(IPPrefix.v4) + $0.ipv6.map(IPPrefix.v6) }))
                #expect(IPSet(list.v4.map(IPPrefix.v4) + list.v6.map(IPPrefix.v6)) == space, "\(label): address space")
            }
        }
    }
}

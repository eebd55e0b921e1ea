@testable import ExportTargetModels
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Every format's full list, read back by its target model, holds exactly the selection.
@Suite struct ExportRoundTripTests {
    static let v4Blocks = ["10.0.0.0/16", "10.1.0.0/24", "192.0.2.0/24", "198.51.100.0/22"].map(SetTesting.v4)
    static let v6Blocks = ["2001:db8::/48", "2001:db8:1::/120", "2603:1000::/36"].map(SetTesting.v6)

    /// A file of four tags with random prefixes (touching, nested and repeated across tags).
    static func randomFile(_ rng: inout SplitMix64) -> ServiceTagsFile {
        let tags = (0..<4).map { i in
            ServiceTag(name: "Tag\(i).Region", ipv4: ExportFixtures.randomPrefixes(Int.random(in: 0...60, using: &rng), in: v4Blocks, using: &rng),
                       ipv6: ExportFixtures.randomPrefixes(Int.random(in: 0...40, using: &rng), in: v6Blocks, using: &rng))
        }
        return ServiceTagsFile(changeNumber: 42, cloud: "Public", tags: tags)
    }

    static func randomSelection(_ rng: inout SplitMix64) -> ExportSelection {
        let include = (0..<4).filter { _ in Bool.random(using: &rng) }.map { TagPattern("Tag\($0).Region") }
        let exclude = Int.random(in: 0..<4, using: &rng) == 0 ? [TagPattern("Tag\(Int.random(in: 0..<4, using: &rng)).*")] : []
        let families: [ExportFamilies] = [.both, .both, .ipv4, .ipv6]
        return ExportSelection(include: include.isEmpty ? [TagPattern("Tag*")] : include, exclude: exclude,
                               families: families[Int.random(in: 0..<4, using: &rng)], aggregate: Bool.random(using: &rng))
    }

    /// Prefixes of `list` not strictly inside another one: by pairwise comparison (the slow way).
    static func outermost(_ prefixes: [IPPrefix]) -> Set<IPPrefix> {
        Set(prefixes.filter { p in !prefixes.contains { q in q != p && q.length < p.length && q.overlaps(p) } })
    }

    @Test(arguments: ExportFormats.all.map(\.id))
    func fullListReadBackHoldsTheSelection(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        var rng = SplitMix64(seed: 0xE4 &+ UInt64(id.utf8.count))
        let iterations = id == "aws-prefix-list" ? 6 : 40
        var compared = 0  // iterations that reached the entry comparison: the loop must test something
        for iteration in 0..<iterations {
            let file = Self.randomFile(&rng)
            guard let list = try? ExportList(file, selecting: Self.randomSelection(&rng)) else { continue }
            let named = format.traits.nameRule != nil
            let limits: [Int?] = named ? [nil, 3, 17] : [nil]
            let options = ExportOptions(maxEntries: limits[Int.random(in: 0..<limits.count, using: &rng)])
            if format.traits.families == .ipv4Only && list.families == .ipv6 {
                #expect(throws: ExportError.familyNotSupported(format: id, family: "IPv6")) { try Exporter.export(list, as: format, options: options) }
                continue
            }
            let model = TargetModels.model(for: id)
            do { for script in try ExportFixtures.fullScripts(format, list, options: options) { try model.run(script) } } catch {
                Issue.record("\(id) #\(iteration): the model rejected the output: \(error)")
                continue
            }
            var expected = (list.v4.map(IPPrefix.v4) + list.v6.map(IPPrefix.v6))
            if format.traits.families == .ipv4Only || id == "iptables" { expected.removeAll { !$0.isIPv4 } }
            if id == "ip6tables" { expected.removeAll(where: \.isIPv4) }
            let expectedSet = format.traits.needsDisjointEntries ? Self.outermost(expected) : Set(expected)
            let all = model.objects.values.reduce(into: [IPPrefix]()) { $0 += $1 }
            if format.traits.rejectsZeroLength, expectedSet.contains(where: { $0.length == 0 }) { continue }
            compared += 1
            #expect(Set(all) == expectedSet, "\(id) #\(iteration): entries differ")
            #expect(all.count == Set(all).count, "\(id) #\(iteration): a prefix is in two objects")
            if let limit = options.maxEntries ?? format.traits.entryLimit {
                #expect(model.objects.values.allSatisfy { $0.count <= limit }, "\(id) #\(iteration): an object over \(limit)")
            }
            if format.traits.families != .mixed {
                #expect(model.objects.values.allSatisfy { Set($0.map(\.isIPv4)).count <= 1 }, "\(id) #\(iteration): families mixed")
            }
        }
        #expect(compared >= iterations / 2, "\(id): only \(compared) of \(iterations) iterations compared entries")
    }

    @Test func ipsetSplitsTheZeroLengthPrefix() throws {
        let list = ExportList(tags: ["Everything"], v4: [SetTesting.v4("0.0.0.0/0"), SetTesting.v4("10.0.0.0/8")],
                              v6: [SetTesting.v6("::/0")])
        let model = TargetModels.model(for: "ipset")
        try model.run(ExportFixtures.text(try Exporter.export(list, as: IpsetFormat())))
        #expect(model.objects["Everything_v4"] == Set(["0.0.0.0/1", "128.0.0.0/1"].map { IPPrefix.v4(SetTesting.v4($0)) }))
        #expect(model.objects["Everything_v6"] == Set(["::/1", "8000::/1"].map { IPPrefix.v6(SetTesting.v6($0)) }))
    }

    @Test func nftDropsNestedPrefixesButKeepsTheAddresses() throws {
        let list = ExportList(tags: ["A", "B"], v4: ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "11.0.0.0/24"].map(SetTesting.v4), v6: [])
        let model = TargetModels.model(for: "nft")
        try model.run(ExportFixtures.text(try Exporter.export(list, as: NftFormat())))
        #expect(model.objects["A_B_v4"] == Set(["10.0.0.0/8", "11.0.0.0/24"].map { IPPrefix.v4(SetTesting.v4($0)) }))
        #expect(model.objects["A_B_v6"] == [])
    }
}

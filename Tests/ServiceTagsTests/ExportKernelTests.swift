@testable import ExportTargetModels
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// nft and ipset output loaded for real, each scenario in a throwaway network namespace
/// (`unshare -n`): the old full list, then the delta, must leave exactly the sets that loading the
/// new full list leaves, read back with `nft -j list table` / `ipset save` and compared as
/// address sets (`KernelSets`). Skipped with a notice where the tools, the kernel or the privileges
/// are missing.
@Suite(.serialized) struct ExportKernelTests {
    /// Loads old full + delta in one namespace and the new full in another; returns both states.
    static func check(_ id: String, old: ExportList, new: ExportList, options: ExportOptions, label: String) throws {
        let format = try #require(ExportFormats.named(id))
        let (a, b) = try KernelSets.applyDelta(id, old: ExportFixtures.text(try Exporter.export(old, as: format, options: options)),
                                               delta: ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: format, options: options)),
                                               new: ExportFixtures.text(try Exporter.export(new, as: format, options: options)),
                                               label: "\(id) \(label)")
        #expect(a == b, "\(id) \(label): old + delta differs from new (\(a.count) vs \(b.count) sets)")
        // And the new full list holds exactly the selection's addresses.
        let union = b.values.reduce(IPSet()) { $0.union($1) }
        #expect(union == IPSet(new.v4.map(IPPrefix.v4) + new.v6.map(IPPrefix.v6)), "\(id) \(label): loaded sets differ from the list")
    }

    @Test(.kernelTools, arguments: ["nft", "ipset"])
    func syntheticVersionPairsApplyExactlyInTheKernel(_ id: String) throws {
        var rng = SplitMix64(seed: 0x4E7)
        for round in 0..<6 {
            let old = ExportList(tags: ["Synthetic.Tag"], v4: ExportFixtures.randomPrefixes(400, in: ExportRoundTripTests.v4Blocks, using: &rng),
                                 v6: ExportFixtures.randomPrefixes(round == 5 ? 0 : 250, in: ExportRoundTripTests.v6Blocks, using: &rng), changeNumber: 1)
            var new = ExportDeltaTests.evolve(old, &rng)
            if round == 4 { new = ExportList(tags: old.tags, v4: Array(old.v4.dropFirst(30)) + ExportFixtures.randomPrefixes(60, in: ExportRoundTripTests.v4Blocks, using: &rng), v6: [], changeNumber: 2) }
            try Self.check(id, old: old, new: new, options: ExportOptions(maxEntries: round % 2 == 0 ? nil : 64), label: "round \(round)")
        }
    }

    @Test(.kernelTools, .realData("ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json"), .tags(.realData),
          arguments: ["nft", "ipset"])
    func realWeeklyFilesApplyExactlyInTheKernel(_ id: String) throws {
        guard let old = ExportFixtures.realFile("ServiceTags_Public_20251013.json", for: "ExportKernelTests"),
              let new = ExportFixtures.realFile("ServiceTags_Public_20251028.json", for: "ExportKernelTests") else { return }
        for (pattern, aggregate) in [("AzureCloud", false), ("AzureCloud", true), ("Storage.*", false)] {
            let selection = ExportSelection(include: [TagPattern(pattern)], aggregate: aggregate)
            let a = try ExportList(old, selecting: selection), b = try ExportList(new, selecting: selection)
            try Self.check(id, old: a, new: b, options: ExportOptions(name: "real"), label: "\(pattern)\(aggregate ? " aggregated" : "")")
        }
    }
}

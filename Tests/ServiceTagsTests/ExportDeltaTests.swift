@testable import ExportTargetModels
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// For every format with an incremental syntax: the old full list, then the delta, leaves the
/// target exactly as the new full list does, on the target models (nft and ipset also run in
/// the kernel, see ExportKernelTests).
@Suite struct ExportDeltaTests {
    static let deltaFormats = ExportFormats.all.filter(\.traits.supportsDelta).map(\.id)

    /// `old` changed a little (or a lot): removals, additions (some nested in or adjacent to kept
    /// prefixes), sometimes a whole family gone.
    static func evolve(_ old: ExportList, _ rng: inout SplitMix64) -> ExportList {
        var v4 = old.v4, v6 = old.v6
        let changes = Int.random(in: 0..<4, using: &rng) == 0 ? Int.random(in: 20...80, using: &rng) : Int.random(in: 0...3, using: &rng)
        for _ in 0..<changes {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0 where !v4.isEmpty: v4.remove(at: Int.random(in: 0..<v4.count, using: &rng))
            case 1 where !v6.isEmpty: v6.remove(at: Int.random(in: 0..<v6.count, using: &rng))
            case 2: v4 += ExportFixtures.randomPrefixes(1, in: ExportRoundTripTests.v4Blocks, using: &rng)
            default: v6 += ExportFixtures.randomPrefixes(1, in: ExportRoundTripTests.v6Blocks, using: &rng)
            }
        }
        if Int.random(in: 0..<10, using: &rng) == 0 { v6 = [] }
        return ExportList(tags: old.tags, v4: v4, v6: v6, changeNumber: (old.changeNumber ?? 0) + 1)
    }

    static func randomList(_ rng: inout SplitMix64) -> ExportList {
        ExportList(tags: ["Tag.Region"], v4: ExportFixtures.randomPrefixes(Int.random(in: 0...70, using: &rng), in: ExportRoundTripTests.v4Blocks, using: &rng),
                   v6: ExportFixtures.randomPrefixes(Int.random(in: 0...50, using: &rng), in: ExportRoundTripTests.v6Blocks, using: &rng),
                   changeNumber: 100)
    }

    @Test(arguments: deltaFormats)
    func oldFullThenDeltaEqualsNewFull(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        var rng = SplitMix64(seed: 0xDE17A &+ UInt64(id.utf8.reduce(0) { $0 &+ UInt64($1) }))
        let iterations = id == "aws-prefix-list" ? 5 : 60
        for iteration in 0..<iterations {
            let old = Self.randomList(&rng)
            let new = Self.evolve(old, &rng)
            let limits: [Int?] = [nil, 4, 16]
            let options = ExportOptions(maxEntries: limits[Int.random(in: 0..<3, using: &rng)])
            let applied = TargetModels.model(for: id), fresh = TargetModels.model(for: id)
            do {
                for script in try ExportFixtures.fullScripts(format, old, options: options) { try applied.run(script) }
                for script in try ExportFixtures.deltaScripts(format, from: old, to: new, options: options) { try applied.run(script) }
                for script in try ExportFixtures.fullScripts(format, new, options: options) { try fresh.run(script) }
            } catch let error as ModelError {
                Issue.record("\(id) #\(iteration) (max \(options.maxEntries.map(String.init) ?? "-")): \(error)")
                continue
            }
            #expect(applied.objects == fresh.objects, "\(id) #\(iteration): delta result differs from the new full list")
        }
    }

    @Test(arguments: deltaFormats)
    func noChangeGivesADeltaWithoutCommands(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        let list = try ExportFixtures.list(ExportFixtures.newFile)
        let text = ExportFixtures.text(try Exporter.exportDelta(from: list, to: list, as: format))
        let commands = text.split(separator: "\n").filter { line in
            !(line.hasPrefix("#") || line.hasPrefix("!") || line.hasPrefix("$ErrorActionPreference") || line.hasPrefix("$group"))
        }
        if id == "aws-prefix-list" {
            #expect(!commands.contains { $0.hasPrefix("aws ec2 modify") || $0.hasPrefix("aws ec2 delete") || $0.hasPrefix("id=") })
        } else {
            #expect(commands.isEmpty, "\(id): \(commands)")
        }
    }

    @Test func fullOnlyFormatsRefuseADelta() throws {
        let list = try ExportFixtures.list(ExportFixtures.newFile)
        for format in ExportFormats.all where !format.traits.supportsDelta {
            #expect(throws: ExportError.deltaNotSupported(format: format.id)) { try Exporter.exportDelta(from: list, to: list, as: format) }
        }
    }

    @Test func mikrotikFindsAnIPv4HostByItsBareAddress() throws {
        let old = ExportList(tags: ["T"], v4: ["192.0.2.7/32", "192.0.2.8/29"].map(SetTesting.v4), v6: [])
        let new = ExportList(tags: ["T"], v4: ["192.0.2.8/29"].map(SetTesting.v4), v6: [])
        let text = ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: MikroTikFormat()))
        #expect(text.contains("/ip firewall address-list remove [find list=\"T\" address=\"192.0.2.7\"]\n"))
    }
}

extension ExportDeltaTests {
    /// How `stag diff --format` sees a tag that is new in NEW, or gone from it: one side is an empty
    /// list with the tag's name.
    @Test(arguments: deltaFormats)
    func tagsThatAppearOrDisappearBecomeCreatesAndDeletes(_ id: String) throws {
        let format = try #require(ExportFormats.named(id))
        let full = try ExportFixtures.list(ExportFixtures.newFile)
        let none = ExportList(tags: full.tags, v4: [], v6: [], changeNumber: 376)
        for (old, new) in [(none, full), (full, none)] {
            let applied = TargetModels.model(for: id), fresh = TargetModels.model(for: id)
            for script in try ExportFixtures.fullScripts(format, old) { try applied.run(script) }
            for script in try ExportFixtures.deltaScripts(format, from: old, to: new) { try applied.run(script) }
            for script in try ExportFixtures.fullScripts(format, new) { try fresh.run(script) }
            #expect(applied.objects == fresh.objects, "\(id): \(old.isEmpty ? "appearing" : "disappearing") tag")
        }
    }
}

import Foundation
@testable import ExportTargetModels
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Union deltas (issue 10, part 3): `stag diff OLD NEW --tag A --tag 'B.*' --name corp --format F`
/// is the delta between `stag export A 'B.*' --name corp --format F` on OLD and on NEW, so
/// export(OLD) + delta = export(NEW): on every delta format's target model, and in the kernel for
/// nft and ipset (also applied twice).
extension DiffDeltaCLITests {
    /// A selection of the hand-made pair, and the tags of NEW it holds, written out by hand
    /// (`*e*` loses Epsilon.Gone and gains Zeta.New between the files).
    struct UnionCase {
        var tags: [String]
        var options: [String]
        var newMembers: [String]
        var excluded: [String] = []
    }

    static let unionCases: [UnionCase] = [
        UnionCase(tags: ["Alpha", "Beta.*"], options: [], newMembers: ["Alpha", "Beta.Chunked"]),
        UnionCase(tags: ["*e*"], options: [],
                  newMembers: ["Beta.Chunked", "Delta.Same", "Eta.Reexpressed", "Theta.MetadataOnly", "Zeta.New"]),
        UnionCase(tags: ["*e*", "Alpha"], options: ["--exclude", "Delta.Same"],
                  newMembers: ["Alpha", "Beta.Chunked", "Eta.Reexpressed", "Theta.MetadataOnly", "Zeta.New"], excluded: ["Delta.Same"]),
        UnionCase(tags: ["*a*"], options: ["--aggregate", "--max-entries", "3"],
                  newMembers: ["Alpha", "Beta.Chunked", "Delta.Same", "Eta.Reexpressed", "Gamma", "Theta.MetadataOnly", "Zeta.New"]),
        UnionCase(tags: ["*e*"], options: ["--ipv4"], newMembers: ["Beta.Chunked", "Delta.Same", "Theta.MetadataOnly", "Zeta.New"]),
    ]

    /// `stag export TAGS --name corp OPTIONS` on both files and `stag diff --tag ... --name corp OPTIONS`.
    static func unionScenario(_ id: String, _ c: UnionCase) throws -> Scenario {
        let (old, new) = (DiffCLI.fixture("delta-old.json"), DiffCLI.fixture("delta-new.json"))
        let options = ["--name", "corp"] + c.options
        func export(_ path: String) throws -> String {
            let r = try DiffCLI.run(["export"] + c.tags + ["--data", path, "--format", id] + options)
            #expect(r.status == 0, "export \(c.tags) \(options): \(r.stderr)")
            return r.stdout
        }
        let delta = try DiffCLI.run(["diff", old, new, "--format", id] + c.tags.flatMap { ["--tag", $0] } + options)
        return Scenario(oldFull: [try export(old)], newFull: [try export(new)], delta: delta)
    }

    /// NEW's listed prefixes of `c.newMembers` (in the case's family) minus the excluded tags', read
    /// with `JSONSerialization`: what the union's objects must hold together.
    static func unionSpace(_ c: UnionCase) throws -> IPSet {
        let listed = try listedPrefixes(DiffCLI.fixture("delta-new.json"))
        func space(_ names: [String]) throws -> IPSet {
            let family = c.options.first { $0 == "--ipv4" || $0 == "--ipv6" }
            let prefixes = try names.flatMap { listed[$0] ?? [] }.map { try SlowAddressParser.requirePrefix($0) }
            return IPSet(prefixes.filter { family == nil || $0.isIPv4 == (family == "--ipv4") })
        }
        return try space(c.newMembers).subtracting(try space(c.excluded))
    }

    @Test(arguments: deltaFormats)
    func unionExportOfOldPlusTheDeltaEqualsTheUnionExportOfNew(_ id: String) throws {
        let keepsEmpty = try #require(ExportFormats.named(id)).traits.keepsEmptyObjects
        for c in Self.unionCases {
            let label = "\(id) \(c.tags) \(c.options)"
            let s = try Self.unionScenario(id, c)
            #expect(s.delta.status == 1, "\(label): \(s.delta.stderr)")
            guard let (applied, fresh) = Self.applyOnModels(id, s, label: label) else { continue }
            Self.expectSame(Self.addressSpace(applied.objects), Self.addressSpace(fresh.objects), keepsEmpty: keepsEmpty, label)
            #expect(fresh.objects.keys.allSatisfy { $0.contains("corp") }, "\(label): \(fresh.objects.keys.sorted())")
            let union = fresh.objects.values.reduce(into: Set<IPPrefix>()) { $0.formUnion($1) }
            #expect(IPSet(Array(union)) == (try Self.unionSpace(c)), "\(label): the union holds other addresses")
        }
    }

    @Test(.kernelTools, arguments: ["nft", "ipset"])
    func unionDeltaAppliesExactlyAndTwiceInTheKernel(_ tool: String) throws {
        let read = KernelSets.commands(tool).read
        for c in Self.unionCases {
            let label = "\(tool) \(c.tags) \(c.options)"
            let s = try Self.unionScenario(tool, c)
            try Self.kernelCheck(tool, s, label: label, expectedNewSpace: try Self.unionSpace(c))
            let fresh = try KernelSets.sets(tool, try KernelSets.run(s.newFull.map { KernelSets.step(tool, $0) }, read: read, label: label))
            let twice = try KernelSets.run((s.oldFull + [s.delta.stdout, s.delta.stdout]).map { KernelSets.step(tool, $0) }, read: read, label: label)
            Self.expectSame(try KernelSets.sets(tool, twice), fresh, keepsEmpty: true, "\(label) old + delta + delta")
        }
    }

    /// The union of one selection does not depend on how the tags are spelt: a glob or its names.
    @Test func unionDeltaOfAGlobEqualsTheDeltaOfItsNames() throws {
        let (old, new) = (DiffCLI.fixture("delta-old.json"), DiffCLI.fixture("delta-new.json"))
        let glob = try DiffCLI.run(["diff", old, new, "--format", "nft", "--tag", "Beta.*", "--tag", "Alpha", "--name", "corp"])
        let names = try DiffCLI.run(["diff", old, new, "--format", "nft", "--tag", "Alpha", "--tag", "Beta.Chunked", "--name", "corp"])
        #expect(glob.status == 1 && glob.stdout == names.stdout && !glob.stdout.isEmpty)
        let same = try DiffCLI.run(["diff", old, old, "--format", "nft", "--tag", "*", "--name", "corp"])
        #expect(same.status == 0 && same.stdout.isEmpty, "\(same.stderr)")
    }
}

import Foundation
@testable import ExportTargetModels
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Applying `stag diff --format DELTA`: each selected tag's `stag export TAG --data OLD` is loaded,
/// then the delta; the result must equal loading each tag's `stag export TAG --data NEW`, on the
/// export tests' target models (every delta format) and, for nft and ipset, in the kernel inside a
/// throwaway network namespace (`KernelSets`). A tag gone from NEW cannot be exported from NEW:
/// its objects must be gone, or, for nft and ipset, empty.
extension DiffDeltaCLITests {
    /// What one scenario loads: each tag's full list from OLD and from NEW, and the delta.
    struct Scenario {
        var oldFull: [String]
        var newFull: [String]
        var delta: DiffCLI.Result
    }

    /// Tag name -> listed prefixes, read with Foundation's `JSONSerialization` (independent of the
    /// reader under test).
    static func listedPrefixes(_ path: String) throws -> [String: [String]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var out: [String: [String]] = [:]
        for value in try #require(root["values"] as? [[String: Any]]) {
            let properties = try #require(value["properties"] as? [String: Any])
            out[try #require(value["name"] as? String)] = try #require(properties["addressPrefixes"] as? [String])
        }
        return out
    }

    /// `stag export TAG --data PATH --format ID OPTIONS` for each of `tags` present in the file; a tag
    /// whose selection is empty there is skipped, as a user could not have exported it either.
    static func fullExports(_ tags: [String], data path: String, present: Set<String>, format id: String, options: [String]) throws -> [String] {
        var out: [String] = []
        for tag in tags where present.contains(tag) {
            let r = try DiffCLI.run(["export", tag, "--data", path, "--format", id] + options)
            if r.status == 2 && r.stderr.contains("the selection is empty") { continue }
            #expect(r.status == 0, "export \(tag) \(options): \(r.stderr)")
            out.append(r.stdout)
        }
        #expect(!out.isEmpty || tags.allSatisfy { !present.contains($0) }, "every export of \(tags) was empty: nothing to compare")
        return out
    }

    /// Exports `tags` from both files and runs `stag diff OLD NEW --format ID [--tag T]... OPTIONS`.
    /// `names`: the tag names of OLD and NEW, when the caller has read them already.
    static func scenario(_ id: String, old: String, new: String, tags: [String], diffTags: [String] = [], options: [String],
                         names: (old: Set<String>, new: Set<String>)? = nil) throws -> Scenario {
        let (oldNames, newNames) = try names ?? (Set(try listedPrefixes(old).keys), Set(try listedPrefixes(new).keys))
        let delta = try DiffCLI.run(["diff", old, new, "--format", id] + diffTags.flatMap { ["--tag", $0] } + options)
        return Scenario(oldFull: try fullExports(tags, data: old, present: oldNames, format: id, options: options),
                        newFull: try fullExports(tags, data: new, present: newNames, format: id, options: options), delta: delta)
    }

    /// `applied` (old + delta) holds what `fresh` (new) holds; objects only in `applied` are a tag
    /// gone from NEW, which may survive only as an empty set on targets that keep empty objects.
    static func expectSame(_ applied: [String: IPSet], _ fresh: [String: IPSet], keepsEmpty: Bool, _ label: String) {
        for (name, set) in fresh { #expect(applied[name] == set, "\(label): object \(name) differs") }
        for (name, set) in applied where fresh[name] == nil {
            #expect(keepsEmpty && set.isEmpty, "\(label): object \(name) should be \(keepsEmpty ? "empty" : "gone")")
        }
    }

    static func addressSpace(_ state: TargetState) -> [String: IPSet] { state.mapValues { IPSet(Array($0)) } }

    /// The hand-made pair: every tag of either file; the --exclude'd tag is not a selected tag.
    static let pairTags = ["Alpha", "Beta.Chunked", "Delta.Same", "Epsilon.Gone", "Eta.Reexpressed", "Gamma", "Theta.MetadataOnly", "Zeta.New"]
    static let pairOptions: [[String]] = [[], ["--aggregate"], ["--max-entries", "4"], ["--ipv4"], ["--ipv6"], ["--exclude", "Delta.Same"]]

    static func pairScenario(_ id: String, options: [String]) throws -> Scenario {
        let excluded = options.firstIndex(of: "--exclude").map { options[$0 + 1] }
        return try scenario(id, old: DiffCLI.fixture("delta-old.json"), new: DiffCLI.fixture("delta-new.json"),
                            tags: pairTags.filter { $0 != excluded }, options: options)
    }

    /// The union of NEW's listed prefixes (optionally one family), the independent reference for
    /// what the new full lists hold together when nothing is excluded.
    static func newSpace(family: String?) throws -> IPSet {
        let all = try listedPrefixes(DiffCLI.fixture("delta-new.json")).values.joined().map { try SlowAddressParser.requirePrefix($0) }
        return IPSet(all.filter { family == nil || ($0.isIPv4 == (family == "--ipv4")) })
    }

    /// The old full lists then the delta on one target model, the new full lists on another; nil
    /// (an issue recorded) when a script does not run.
    static func applyOnModels(_ id: String, _ s: Scenario, label: String) -> (applied: any TargetModel, fresh: any TargetModel)? {
        let applied = TargetModels.model(for: id), fresh = TargetModels.model(for: id)
        do {
            for script in s.oldFull { try applied.run(script) }
            try applied.run(s.delta.stdout)
            for script in s.newFull { try fresh.run(script) }
        } catch {
            Issue.record("\(label): \(error)")
            return nil
        }
        return (applied, fresh)
    }

    @Test(arguments: deltaFormats)
    func oldExportsPlusTheDeltaEqualTheNewExportsOnTheTargetModels(_ id: String) throws {
        let keepsEmpty = try #require(ExportFormats.named(id)).traits.keepsEmptyObjects
        for options in [[], ["--aggregate", "--max-entries", "3"], ["--ipv6"], ["--exclude", "Delta.Same"]] {
            let s = try Self.pairScenario(id, options: options)
            #expect(s.delta.status == 1, "\(id) \(options): \(s.delta.stderr)")
            guard let (applied, fresh) = Self.applyOnModels(id, s, label: "\(id) \(options)") else { continue }
            Self.expectSame(Self.addressSpace(applied.objects), Self.addressSpace(fresh.objects), keepsEmpty: keepsEmpty, "\(id) \(options)")
            if options.isEmpty || options == ["--ipv6"] {
                let union = fresh.objects.values.reduce(into: Set<IPPrefix>()) { $0.formUnion($1) }
                #expect(IPSet(Array(union)) == (try Self.newSpace(family: options.first)), "\(id) \(options): new lists hold other addresses")
            }
        }
        // --name for a single tag names its objects as `stag export TAG --name` did.
        let s = try Self.scenario(id, old: DiffCLI.fixture("delta-old.json"), new: DiffCLI.fixture("delta-new.json"),
                                  tags: ["Beta.Chunked"], diffTags: ["Beta.Chunked"], options: ["--name", "fw", "--max-entries", "5"])
        let applied = TargetModels.model(for: id), fresh = TargetModels.model(for: id)
        for script in s.oldFull { try applied.run(script) }
        try applied.run(s.delta.stdout)
        for script in s.newFull { try fresh.run(script) }
        Self.expectSame(Self.addressSpace(applied.objects), Self.addressSpace(fresh.objects), keepsEmpty: keepsEmpty, "\(id) --name")
        #expect(fresh.objects.keys.allSatisfy { $0.contains("fw") }, "\(id): \(fresh.objects.keys.sorted())")
    }

    /// Loads the old full lists then the delta in one namespace and the new full lists in another.
    static func kernelCheck(_ tool: String, _ s: Scenario, label: String, expectedNewSpace: IPSet? = nil) throws {
        #expect(s.delta.status == 1, "\(label): \(s.delta.stderr)")
        let (a, b) = try KernelSets.applyDelta(tool, old: s.oldFull.joined(), delta: s.delta.stdout, new: s.newFull.joined(), label: label)
        #expect(!b.isEmpty, "\(label): nothing loaded")
        expectSame(a, b, keepsEmpty: true, label)
        if let expectedNewSpace {
            #expect(b.values.reduce(IPSet()) { $0.union($1) } == expectedNewSpace, "\(label): the new sets hold other addresses")
        }
    }

    @Test(.kernelTools, arguments: ["nft", "ipset"])
    func handMadePairAppliesExactlyInTheKernel(_ tool: String) throws {
        for options in Self.pairOptions {
            let space: IPSet? = options.isEmpty || options == ["--aggregate"] ? try Self.newSpace(family: nil)
                : options.count == 1 && options[0].hasPrefix("--ipv") ? try Self.newSpace(family: options[0]) : nil
            try Self.kernelCheck(tool, try Self.pairScenario(tool, options: options), label: "\(tool) \(options)", expectedNewSpace: space)
        }
    }

    @Test(.kernelTools, .realData("ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json"), .tags(.realData),
          arguments: ["nft", "ipset"])
    func realWeeklyFilesApplyExactlyInTheKernel(_ tool: String) throws {
        let old = try #require(FixturePaths.realFile("ServiceTags_Public_20251013.json"))
        let new = try #require(FixturePaths.realFile("ServiceTags_Public_20251028.json"))
        let before = try Self.listedPrefixes(old), after = try Self.listedPrefixes(new)
        let names = (old: Set(before.keys), new: Set(after.keys))
        let azure = try Self.scenario(tool, old: old, new: new, tags: ["AzureCloud"], diffTags: ["AzureCloud"], options: [], names: names)
        let azureSpace = IPSet(try after["AzureCloud", default: []].map { try SlowAddressParser.requirePrefix($0) })
        try Self.kernelCheck(tool, azure, label: "\(tool) AzureCloud", expectedNewSpace: azureSpace)
        // Storage.*: exporting all ~70 tags twice takes too long in a debug build, so load the tags
        // whose prefixes changed and one that did not; a delta touching any other tag's sets fails
        // to load, since those sets do not exist in the namespace.
        let storage = Set(before.keys).union(after.keys).filter { $0.hasPrefix("Storage.") }.sorted()
        let changed = storage.filter { Set(before[$0] ?? []) != Set(after[$0] ?? []) }
        #expect(!changed.isEmpty, "the real pair changes some Storage.* tags")
        let tags = changed + storage.filter { !changed.contains($0) }.prefix(1)
        let s = try Self.scenario(tool, old: old, new: new, tags: tags, diffTags: ["Storage.*"], options: [], names: names)
        let space = IPSet(try tags.flatMap { after[$0] ?? [] }.map { try SlowAddressParser.requirePrefix($0) })
        try Self.kernelCheck(tool, s, label: "\(tool) Storage.*", expectedNewSpace: space)
    }
}

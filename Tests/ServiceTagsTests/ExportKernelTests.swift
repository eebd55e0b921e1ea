import Foundation
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// nft and ipset output loaded for real, each scenario in a throwaway network namespace
/// (`unshare -n`): the old full list, then the delta, must leave exactly the sets that loading the
/// new full list leaves, read back with `nft -j list table` / `ipset save` and compared as
/// address sets. Skipped with a notice where the tools, the kernel or the privileges are missing.
@Suite(.serialized) struct ExportKernelTests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func shell(_ script: String, files: [String: String] = [:]) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Whether `tool` runs inside a fresh network namespace here; prints why not.
    static func available(_ tool: String, probe: String) -> Bool {
        guard let run = try? shell("command -v \(tool) >/dev/null && unshare -n sh -c '\(probe)'"), run.status == 0 else {
            print("ExportKernelTests: \(tool) in 'unshare -n' is not available here (tool, kernel or privileges missing); skipping")
            return false
        }
        return true
    }

    static func address(_ text: String) throws -> IPAddress { try IPAddress(parsing: text) }

    /// Adds `first...last` to the per-family range lists.
    static func add(_ first: IPAddress, _ last: IPAddress, to v4: inout [IPv4Range], _ v6: inout [IPv6Range]) throws {
        switch (first, last) {
        case (.v4(let a), .v4(let b)): v4.append(try #require(IPRange(first: a, last: b)))
        case (.v6(let a), .v6(let b)): v6.append(try #require(IPRange(first: a, last: b)))
        default: throw ModelError("mixed range")
        }
    }

    /// `nft -j list table inet azst` as set name -> addresses.
    static func nftSets(_ json: String) throws -> [String: IPSet] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var out: [String: IPSet] = [:]
        for item in root["nftables"] as? [[String: Any]] ?? [] {
            guard let set = item["set"] as? [String: Any], let name = set["name"] as? String else { continue }
            var v4: [IPv4Range] = [], v6: [IPv6Range] = []
            for element in set["elem"] as? [Any] ?? [] {
                if let text = element as? String {
                    let a = try address(text)
                    try add(a, a, to: &v4, &v6)
                } else if let prefix = (element as? [String: Any])?["prefix"] as? [String: Any], let addr = prefix["addr"] as? String,
                          let len = prefix["len"] as? Int {
                    switch try IPPrefix(parsing: "\(addr)/\(len)") {
                    case .v4(let p): v4.append(IPRange(p))
                    case .v6(let p): v6.append(IPRange(p))
                    }
                } else if let range = (element as? [String: Any])?["range"] as? [String], range.count == 2 {
                    try add(try address(range[0]), try address(range[1]), to: &v4, &v6)
                } else {
                    throw ModelError("unexpected element \(element)")
                }
            }
            out[name] = IPSet(v4: PrefixSet(ranges: v4), v6: PrefixSet(ranges: v6))
        }
        return out
    }

    /// `ipset save` as set name -> addresses.
    static func ipsetSets(_ text: String) throws -> [String: IPSet] {
        var v4: [String: [IPv4Range]] = [:], v6: [String: [IPv6Range]] = [:]
        for line in text.split(separator: "\n") {
            let w = line.split(separator: " ")
            if w.first == "create" { v4[String(w[1]), default: []] += []; v6[String(w[1]), default: []] += [] }
            guard w.first == "add", w.count >= 3 else { continue }
            let entry = w[2].contains("/") ? String(w[2]) : String(w[2]) + (w[2].contains(":") ? "/128" : "/32")
            switch try IPPrefix(parsing: entry) {
            case .v4(let p): v4[String(w[1]), default: []].append(IPRange(p))
            case .v6(let p): v6[String(w[1]), default: []].append(IPRange(p))
            }
        }
        var out: [String: IPSet] = [:]
        for name in Set(v4.keys).union(v6.keys) { out[name] = IPSet(v4: PrefixSet(ranges: v4[name] ?? []), v6: PrefixSet(ranges: v6[name] ?? [])) }
        return out
    }

    /// Loads old full + delta in one namespace and the new full in another; returns both states.
    static func check(_ id: String, old: ExportList, new: ExportList, options: ExportOptions, label: String) throws {
        let format = try #require(ExportFormats.named(id))
        let files = ["old": ExportFixtures.text(try Exporter.export(old, as: format, options: options)),
                     "delta": ExportFixtures.text(try Exporter.exportDelta(from: old, to: new, as: format, options: options)),
                     "new": ExportFixtures.text(try Exporter.export(new, as: format, options: options))]
        let (load, read) = id == "nft" ? ("nft -f", "nft -j list table inet azst") : ("ipset restore -f", "ipset save")
        let applied = try shell("unshare -n sh -c '\(load) old && \(load) delta && \(read)'", files: files)
        let fresh = try shell("unshare -n sh -c '\(load) new && \(read)'", files: files)
        guard applied.status == 0, fresh.status == 0 else {
            Issue.record("\(id) \(label): load failed: \(applied.stderr) \(fresh.stderr)")
            return
        }
        let parse = id == "nft" ? nftSets : ipsetSets
        let a = try parse(applied.stdout), b = try parse(fresh.stdout)
        #expect(a == b, "\(id) \(label): old + delta differs from new (\(a.count) vs \(b.count) sets)")
        // And the new full list holds exactly the selection's addresses.
        let union = b.values.reduce(IPSet()) { $0.union($1) }
        #expect(union == IPSet(new.v4.map(IPPrefix.v4) + new.v6.map(IPPrefix.v6)), "\(id) \(label): loaded sets differ from the list")
    }

    static let tools = [("nft", "nft list ruleset"), ("ipset", "ipset list")]

    @Test(arguments: ["nft", "ipset"])
    func syntheticVersionPairsApplyExactlyInTheKernel(_ id: String) throws {
        guard Self.available(id, probe: Self.tools.first { $0.0 == id }!.1) else { return }
        var rng = SplitMix64(seed: 0x4E7)
        for round in 0..<6 {
            let old = ExportList(tags: ["Synthetic.Tag"], v4: ExportFixtures.randomPrefixes(400, in: ExportRoundTripTests.v4Blocks, using: &rng),
                                 v6: ExportFixtures.randomPrefixes(round == 5 ? 0 : 250, in: ExportRoundTripTests.v6Blocks, using: &rng), changeNumber: 1)
            var new = ExportDeltaTests.evolve(old, &rng)
            if round == 4 { new = ExportList(tags: old.tags, v4: Array(old.v4.dropFirst(30)) + ExportFixtures.randomPrefixes(60, in: ExportRoundTripTests.v4Blocks, using: &rng), v6: [], changeNumber: 2) }
            try Self.check(id, old: old, new: new, options: ExportOptions(maxEntries: round % 2 == 0 ? nil : 64), label: "round \(round)")
        }
    }

    @Test(arguments: ["nft", "ipset"])
    func realWeeklyFilesApplyExactlyInTheKernel(_ id: String) throws {
        guard Self.available(id, probe: Self.tools.first { $0.0 == id }!.1),
              let old = ExportFixtures.realFile("ServiceTags_Public_20251013.json", for: "ExportKernelTests"),
              let new = ExportFixtures.realFile("ServiceTags_Public_20251028.json", for: "ExportKernelTests") else { return }
        for (pattern, aggregate) in [("AzureCloud", false), ("AzureCloud", true), ("Storage.*", false)] {
            let selection = ExportSelection(include: [TagPattern(pattern)], aggregate: aggregate)
            let a = try ExportList(old, selecting: selection), b = try ExportList(new, selecting: selection)
            try Self.check(id, old: a, new: b, options: ExportOptions(name: "real"), label: "\(pattern)\(aggregate ? " aggregated" : "")")
        }
    }
}

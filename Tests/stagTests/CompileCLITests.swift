import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `stag compile`, and every `--data` command answering from the index exactly as from the JSON
/// file it was compiled from (stdout byte for byte; `info` differs only in the documented fields).
@Suite struct CompileCLITests {
    static let sample = StagCLI.fixture("sample.json")

    /// A directory holding `sample.stagidx`, compiled from the sample by the CLI.
    static func compiled() throws -> (dir: URL, index: String) {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-compile")
        let index = dir.appendingPathComponent("sample.stagidx").path
        let run = try StagCLI.run(["compile", "--data", sample, "-o", index])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        return (dir, index)
    }

    @Test func jsonReportsTheSourceDigest() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-compile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent("x.stagidx").path
        let run = try StagCLI.run(["compile", "--data", Self.sample, "-o", index, "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try FetchFixtures.json(run.stdout)
        let source = try Data(contentsOf: URL(fileURLWithPath: Self.sample))
        #expect(object["sha256"] as? String == FetchFixtures.sha256(source))
        #expect(object["output"] as? String == index)
        #expect(object["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int))
        #expect(object["cloud"] as? String == "Public")
        #expect(object["changeNumber"] as? Int != nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: index)).prefix(8) == Data(CompiledIndex.magic))
    }

    static let sameOutput: [[String]] = [
        ["lookup", "23.41.24.103"], ["lookup", "--json", "23.41.24.103", "20.62.130.5", "2603:1000::1", "::ffff:23.41.24.103"],
        ["lookup", "23.41.24.0/24", "not-an-address"], ["lookup", "--tag", "Storage", "23.41.24.103"],
        ["tags"], ["tags", "--json"], ["tags", "Storage*", "--region", "eastus"],
        ["export", "Storage"], ["export", "AzureCloud", "--exclude", "Storage", "--aggregate"], ["export", "Sql", "--format", "json"],
        ["grep", "--tag", "Storage"],
    ]

    @Test(arguments: sameOutput)
    func answersExactlyAsTheJSONFile(_ arguments: [String]) throws {
        let (dir, index) = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = "a 23.41.24.103 b\nnothing here\n[2603:1000::1]:443\n"
        let input: StagCLI.Input = arguments[0] == "grep" ? .bytes(Data(lines.utf8)) : .none
        let fromJSON = try StagCLI.run(arguments + ["--data", Self.sample], stdin: input)
        let fromIndex = try StagCLI.run(arguments + ["--data", index], stdin: input)
        #expect(fromIndex.stdoutBytes == fromJSON.stdoutBytes)
        #expect(fromIndex.status == fromJSON.status)
        #expect(fromIndex.stderr == fromJSON.stderr)
    }

    @Test func lookupFromStandardInputThroughTheIndex() throws {
        let (dir, index) = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = StagCLI.Input.bytes(Data("23.41.24.103\n# comment\n2603:1000::1\nbad\n".utf8))
        let a = try StagCLI.run(["lookup", "--json", "-", "--data", Self.sample], stdin: input)
        let b = try StagCLI.run(["lookup", "--json", "-", "--data", index], stdin: input)
        #expect(a.stdoutBytes == b.stdoutBytes)
        #expect(a.status == b.status)
    }

    /// On the real Public file a stream takes the lookup shortcuts (IPv6 jumps, IPv4 records):
    /// built from the JSON, added to the loaded index by the stream. Both must print the same,
    /// for addresses at both ends of a seeded sample of its prefixes (host routes included).
    @Test(.realData("ServiceTags_Public_20251028.json"), .tags(.realData))
    func realStreamThroughTheIndexAnswersAsTheJSON() throws {
        let json = try #require(FixturePaths.realFile("ServiceTags_Public_20251028.json"))
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-compile-real")
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent("public.stagidx").path
        #expect(try StagCLI.run(["compile", "--data", json, "-o", index]).status == 0)
        let file = try ServiceTagsFile(readingFileAt: json)
        var rng = SplitMix64(seed: 2026)
        var lines: [String] = []
        for _ in 0 ..< 1500 {
            let tag = file.tags[Int.random(in: 0 ..< file.tags.count, using: &rng)]
            if let p = tag.ipv4.randomElement(using: &rng) { lines += ["\(p.first)", "\(p.last)"] }
            if let p = tag.ipv6.randomElement(using: &rng) { lines += ["\(p.first)", "\(p.last)"] }
        }
        let input = StagCLI.Input.bytes(Data((lines.joined(separator: "\n") + "\n").utf8))
        let a = try StagCLI.run(["lookup", "--json", "-", "--data", json], stdin: input)
        let b = try StagCLI.run(["lookup", "--json", "-", "--data", index], stdin: input)
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout.split(separator: "\n").count == lines.count)
        #expect(a.stdoutBytes == b.stdoutBytes)
    }

    @Test func diffSidesMayBeIndexes() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-compile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = StagCLI.fixture("diff/old.json"), new = StagCLI.fixture("diff/new.json")
        let oldIndex = dir.appendingPathComponent("old.stagidx").path, newIndex = dir.appendingPathComponent("new.stagidx").path
        #expect(try StagCLI.run(["compile", "--data", old, "-o", oldIndex]).status == 0)
        #expect(try StagCLI.run(["compile", "--data", new, "-o", newIndex]).status == 0)
        for format in [[], ["--json"], ["--format", "nft"]] {
            // The output names the files given; apart from that, byte for byte the same.
            func named(_ run: StagCLI.Result) -> String {
                run.stdout.replacingOccurrences(of: oldIndex, with: old).replacingOccurrences(of: newIndex, with: new)
            }
            let a = try StagCLI.run(["diff", old, new] + format)
            let b = try StagCLI.run(["diff", oldIndex, newIndex] + format)
            let c = try StagCLI.run(["diff", old, newIndex] + format)
            #expect(!a.stdout.isEmpty)
            #expect(a.stdout == named(b), "\(format)")
            // (Text output aligns the two names in columns: with names of unequal lengths
            // only the machine formats compare as they are.)
            if !format.isEmpty { #expect(a.stdout == named(c), "\(format)") }
            #expect(a.status == b.status)
        }
    }

    /// `stag fetch` stores the compiled index beside the file it downloads.
    @Test func fetchWritesTheIndexBesideTheFile() throws {
        let name = "ServiceTags_Public_20251028.json"
        let body = FetchFixtures.body()
        let server = try LoopbackHTTPServer { _, _ in .ok(body) }
        defer { server.stop() }
        let dir = try FetchFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let run = try FetchFixtures.stag(["fetch", "--url", server.base + "/dl/\(name)", "--dir", cache.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let index = cache.appendingPathComponent("ServiceTags_Public_20251028.stagidx").path
        let loaded = try CompiledIndex(contentsOf: index)
        #expect(loaded.source.sha256Hex == FetchFixtures.sha256(Data(body)))
        #expect(loaded.file.tags == (try ServiceTagsFile(bytes: body, path: "body")).tags)
        let info = try FetchFixtures.json(try StagCLI.run(["info", "--json"], environment: ["STAG_CACHE_DIR": cache.path]).stdout)
        #expect(info["file"] as? String == index)
    }

    @Test func infoDiffersOnlyInTheDocumentedFields() throws {
        let (dir, index) = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: dir) }
        var fromJSON = try FetchFixtures.json(try StagCLI.run(["info", "--json", "--data", Self.sample]).stdout)
        var fromIndex = try FetchFixtures.json(try StagCLI.run(["info", "--json", "--data", index]).stdout)
        #expect(fromIndex["file"] as? String == index)
        let recorded = try #require(fromIndex["index"] as? [String: Any])
        #expect(recorded["formatVersion"] as? Int == 4)
        #expect(recorded["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int))
        for key in ["file", "index"] { fromJSON[key] = nil; fromIndex[key] = nil }
        #expect(NSDictionary(dictionary: fromJSON) == NSDictionary(dictionary: fromIndex))
        let text = try StagCLI.run(["info", "--data", index]).stdout
        #expect(text.contains("recorded in the index"))
    }

    @Test func damagedIndexIsExitTwoWithAClearMessage() throws {
        let (dir, index) = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: index))
        let truncated = dir.appendingPathComponent("truncated.stagidx").path
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let t = try StagCLI.run(["lookup", "1.2.3.4", "--data", truncated])
        #expect(t.status == 2)
        #expect(t.stderr.hasPrefix("stag: lookup: \(truncated): byte 24: truncated: the header records"), "\(t.stderr)")
        bytes[bytes.count - 3] ^= 0xFF
        let corrupted = dir.appendingPathComponent("corrupted.stagidx").path
        try bytes.write(to: URL(fileURLWithPath: corrupted))
        let c = try StagCLI.run(["tags", "--data", corrupted])
        #expect(c.status == 2)
        #expect(c.stderr.contains("checksum mismatch"), "\(c.stderr)")
        bytes[8] = 9
        try bytes.write(to: URL(fileURLWithPath: corrupted))
        let v = try StagCLI.run(["info", "--data", corrupted])
        #expect(v.status == 2)
        #expect(v.stderr.contains("compiled index format version 9; this stag reads version 4; recompile with stag compile"), "\(v.stderr)")
        #expect(!c.signaled && !t.signaled && !v.signaled)
    }

    @Test func usageErrors() throws {
        let noOutput = try StagCLI.run(["compile", "--data", Self.sample])
        #expect(noOutput.status == 2)
        #expect(noOutput.stderr.contains("-o INDEX"))
        let toStdout = try StagCLI.run(["compile", "--data", Self.sample, "-o", "-"])
        #expect(toStdout.status == 2)
        let help = try StagCLI.run(["compile", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: stag compile"))
    }

    /// The default data path takes the fetched index when its recorded digest is the manifest's,
    /// and the JSON file otherwise.
    @Test func defaultDataPrefersAMatchingIndex() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-compile-cache")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let name = "ServiceTags_Public_20251028.json"
        let body = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        try FetchFixtures.populate(cache, [.init(name: name, body: body)])
        let index = cache.appendingPathComponent("ServiceTags_Public_20251028.stagidx").path
        #expect(try StagCLI.run(["compile", "--data", cache.appendingPathComponent(name).path, "-o", index]).status == 0)
        let env = ["STAG_CACHE_DIR": cache.path]
        let chosen = try FetchFixtures.json(try StagCLI.run(["info", "--json"], environment: env).stdout)
        #expect(chosen["file"] as? String == index)
        // An index of other bytes (here: compiled from another file) is not taken.
        let other = try StagCLI.run(["compile", "--data", StagCLI.fixture("sample.json"), "-o", index], environment: [:])
        #expect(other.status == 0)
        var stale = try Data(contentsOf: URL(fileURLWithPath: index))
        stale[40] ^= 1  // inside the recorded SHA-256
        try stale.write(to: URL(fileURLWithPath: index))
        let fallback = try FetchFixtures.json(try StagCLI.run(["info", "--json"], environment: env).stdout)
        #expect(fallback["file"] as? String == cache.appendingPathComponent(name).path)
    }
}

import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `stag compile --archive` and `stag history --archive FILE`: a compiled history answers
/// byte for byte as the weekly files it was compiled from (the files' own answers are checked
/// against the reference in `HistoryCLITests`), a damaged one is exit 2 with a clear message,
/// and `stag fetch` rebuilds the cache's `history-<Cloud>.stagh` when it stores a file.
@Suite struct CompiledHistoryCLITests {
    static func stag(_ arguments: [String], stdin: StagCLI.Input = .none, environment: [String: String] = [:]) throws -> StagCLI.Result {
        try StagCLI.run(arguments, stdin: stdin, environment: environment)
    }

    /// Runs `history` with `arguments` over both sources and expects the same bytes and status.
    static func expectSame(_ dir: String, _ compiled: String, _ arguments: [String], stdin: String? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let input: StagCLI.Input = stdin.map { .bytes(Data($0.utf8)) } ?? .none
        let files = try stag(["history", "--archive", dir] + arguments, stdin: input)
        let history = try stag(["history", "--archive", compiled] + arguments, stdin: input)
        #expect(history.stdoutBytes == files.stdoutBytes, "\(arguments)", sourceLocation: sourceLocation)
        #expect(history.status == files.status && history.stderr == files.stderr, "\(arguments): \(history.stderr) vs \(files.stderr)", sourceLocation: sourceLocation)
    }

    @Test func compiledAnswersAsTheFiles() throws {
        let (files, gapTag) = HistorySamples.archive(weeks: 6, seed: 12)
        let (dir, dates) = try HistoryCLI.write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("history.stagh").path
        let c = try Self.stag(["compile", "--archive", dir.path, "-o", out, "--json"])
        #expect(c.status == 0 && c.stderr.isEmpty, "\(c.stderr)")
        let o = try CLITestData.json(c.stdout.dropLast())
        #expect(o["files"] as? Int == 6 && o["cloud"] as? String == "Public" && o["from"] as? String == dates[0]
                && o["bytes"] as? Int == CacheDirectoryTestSize.of(out))
        let queries = HistorySamples.queries(files, count: 80, seed: 13)
        let input = queries.map { q in q.length == (q.isIPv4 ? 32 : 128) ? String(q.description.split(separator: "/")[0]) : q.description }
            .joined(separator: "\n") + "\nnot-an-address\n"
        for json in [["--json"], []] {
            try Self.expectSame(dir.path, out, json + ["-"], stdin: input)
            try Self.expectSame(dir.path, out, json + ["--tag", "AzureCloud*", "-"], stdin: input)
            try Self.expectSame(dir.path, out, json + ["--tag", "AzureCloud", "--tag", gapTag])
            try Self.expectSame(dir.path, out, json + ["--tag", "NoSuchTag*"])
        }
        // The directory holding the history is still an archive of its JSON files.
        try Self.expectSame(dir.path, out, ["--json", "--tag", "*"])
    }

    @Test func damagedOrWrongFilesAreExitTwo() throws {
        let (dir, _) = try HistoryCLI.write(HistorySamples.archive(weeks: 3, seed: 2, tags: 10, prefixes: 80).files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("h.stagh").path
        #expect(try Self.stag(["compile", "--archive", dir.path, "-o", out]).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        func run(_ data: Data, _ extra: [String] = []) throws -> StagCLI.Result {
            let bad = dir.appendingPathComponent("bad.stagh")
            try data.write(to: bad)
            return try Self.stag(["history", "--archive", bad.path, "20.1.2.3"] + extra)
        }
        bytes[bytes.count / 2] ^= 0x40
        let flipped = try run(bytes)
        #expect(flipped.status == 2 && flipped.stderr.contains("checksum mismatch: the history is corrupted") && flipped.stderr.hasPrefix("stag: history: "), "\(flipped.stderr)")
        bytes[bytes.count / 2] ^= 0x40
        let truncated = try run(bytes.prefix(bytes.count - 16))
        #expect(truncated.status == 2 && truncated.stderr.contains("truncated"), "\(truncated.stderr)")
        let json = try Self.stag(["history", "--archive", dir.appendingPathComponent("ServiceTags_Public_20240415.json").path, "20.1.2.3"])
        #expect(json.status == 2 && json.stderr.contains("not a compiled history (no STAGHIST header)"), "\(json.stderr)")
        let cloud = try run(bytes, ["--cloud", "usgov"])
        #expect(cloud.status == 2 && cloud.stderr.contains("is a history of cloud public, not usgov"), "\(cloud.stderr)")
        let lookup = try Self.stag(["lookup", "20.1.2.3", "--data", out])
        #expect(lookup.status == 2 && lookup.stderr.contains("is a compiled history (stag compile --archive)"), "\(lookup.stderr)")
        let both = try Self.stag(["compile", "--archive", dir.path, "--data", "x.json", "-o", out])
        #expect(both.status == 2 && both.stderr.contains("cannot be combined"))
        let missing = try Self.stag(["compile", "--archive", dir.appendingPathComponent("nope").path, "-o", out])
        #expect(missing.status == 2 && missing.stderr.contains("stag: compile: cannot read --archive"), "\(missing.stderr)")
    }

    /// The cache's history, created once by hand, is rebuilt by each stored file and then used by
    /// `stag history` without --archive (it answers as the stored files do).
    @Test func fetchKeepsTheCachedHistoryCurrent() throws {
        let dir = try FetchFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let today = ["STAG_FETCH_TODAY": "20251030"]
        let dates = ["20251014", "20251021", "20251028"]
        for (i, d) in dates.enumerated() {
            try Data(FetchFixtures.body(changeNumber: 10 + i, tags: 4, salt: i)).write(to: dir.appendingPathComponent("ServiceTags_Public_\(d).json"))
        }
        func fetch(_ d: String) throws {
            let r = try Self.stag(["fetch", "--import", dir.appendingPathComponent("ServiceTags_Public_\(d).json").path, "--dir", cache.path], environment: today)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        }
        try fetch(dates[0])
        try fetch(dates[1])
        let history = cache.appendingPathComponent(CompiledHistory.cacheFileName(.public)).path
        #expect(try Self.stag(["compile", "--archive", cache.path, "-o", history]).status == 0)
        #expect(try CompiledHistory(contentsOf: history).files.count == 2)
        try fetch(dates[2])
        let rebuilt = try CompiledHistory(contentsOf: history)
        #expect(rebuilt.files.map(\.fileName) == dates.map { "ServiceTags_Public_\($0).json" })
        let manifest = try FetchManifest(parsing: [UInt8](Data(contentsOf: cache.appendingPathComponent(FetchManifest.fileName))))
        #expect(rebuilt.matches(manifest.entries.map { ($0.file, $0.sha256, $0.size) }))
        let env = ["STAG_CACHE_DIR": cache.path]
        for args in [["--json", "10.1.0.5", "10.2.1.9"], ["--tag", "TestTag1", "--json"]] {
            let cached = try Self.stag(["history"] + args, environment: env)
            let files = try Self.stag(["history", "--archive", cache.path] + args)
            #expect(cached.status == 0 && cached.stdoutBytes == files.stdoutBytes && cached.stderr.isEmpty, "\(cached.stderr)")
        }
        // A damaged cached history is passed over with a warning; the stored files answer.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: history))
        bytes[200] ^= 1
        try bytes.write(to: URL(fileURLWithPath: history))
        let warned = try Self.stag(["history", "--json", "10.1.0.5"], environment: env)
        #expect(warned.status == 0 && warned.stderr.contains("warning") && warned.stderr.contains("reading the weekly files instead"), "\(warned.stderr)")
        // The next stored file rebuilds it (damaged or not) from the files --keep leaves.
        try Data(FetchFixtures.body(changeNumber: 20, tags: 4, salt: 5)).write(to: dir.appendingPathComponent("ServiceTags_Public_20251029.json"))
        let r = try Self.stag(["fetch", "--import", dir.appendingPathComponent("ServiceTags_Public_20251029.json").path, "--dir", cache.path, "--keep", "2"], environment: today)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(try CompiledHistory(contentsOf: history).files.map(\.fileName) == ["ServiceTags_Public_20251028.json", "ServiceTags_Public_20251029.json"])
    }

    /// `stag fetch --history` asks once: it builds the history now (nothing new stored), and
    /// later fetches without the flag keep it current.
    @Test func fetchHistoryAsksOnce() throws {
        let dir = try FetchFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let today = ["STAG_FETCH_TODAY": "20251030"]
        func fetch(_ d: String, _ cn: Int, _ extra: [String] = []) throws {
            let file = dir.appendingPathComponent("ServiceTags_Public_\(d).json")
            try Data(FetchFixtures.body(changeNumber: cn, tags: 3, salt: cn)).write(to: file)
            let r = try Self.stag(["fetch", "--import", file.path, "--dir", cache.path] + extra, environment: today)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        }
        let history = cache.appendingPathComponent(CompiledHistory.cacheFileName(.public)).path
        try fetch("20251014", 1)
        #expect(!FileManager.default.fileExists(atPath: history))
        try fetch("20251014", 1, ["--history"])  // already stored: nothing downloaded, history built
        #expect(try CompiledHistory(contentsOf: history).files.count == 1)
        try fetch("20251021", 2)
        #expect(try CompiledHistory(contentsOf: history).files.map(\.fileName) == ["ServiceTags_Public_20251014.json", "ServiceTags_Public_20251021.json"])
        let list = try Self.stag(["fetch", "--list", "--history", "--dir", cache.path])
        #expect(list.status == 2 && list.stderr.contains("--history"))
    }
}

/// A file's size, for comparing with reported byte counts.
enum CacheDirectoryTestSize {
    static func of(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil }
}

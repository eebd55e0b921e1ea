import Foundation
import Testing

/// The cache's history: skipping what is stored, conditional requests, `--keep`, `--list` and
/// `--verify`, and the data selection other commands make from the manifest.
@Suite struct FetchCacheTests {
    typealias F = FetchFixtures
    static let name = "ServiceTags_Public_20251028.json"

    @Test func nothingNewMeansNoDownload() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { req, _ in
            req.target == "/details.html" ? .ok(F.page(["/dl/\(Self.name)"])) : .ok(body)
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: Self.name, body: body)])
        let before = F.snapshot(cache)

        let run = try F.stag(["fetch", "--page", server.base + "/details.html", "--dir", cache.path, "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(server.requests.map(\.target) == ["/details.html"])  // no GET of the JSON
        let result = try F.json(run.stdout)
        #expect(result["downloaded"] as? Bool == false)
        #expect(result["file"] as? String == cache.appendingPathComponent(Self.name).path)
        #expect(F.snapshot(cache) == before)
    }

    @Test func storedFileWithValidatorsIsCheckedWithAConditionalRequest() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { req, _ in
            req.headers["if-none-match"] == "\"v1\"" ? .status(304) : .ok(body, headers: [("ETag", "\"v2\"")])
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: Self.name, body: body, etag: "\"v1\"", lastModified: "Mon, 27 Oct 2025 23:10:00 GMT")])
        let before = F.snapshot(cache)

        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == cache.appendingPathComponent(Self.name).path + "\n")
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.headers["if-none-match"] == "\"v1\"")
        #expect(request.headers["if-modified-since"] == "Mon, 27 Oct 2025 23:10:00 GMT")
        #expect(F.snapshot(cache) == before)
    }

    /// A stored file whose size no longer matches the manifest is downloaded again.
    @Test func damagedStoredFileIsFetchedAgain() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { _, _ in .ok(body) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: Self.name, body: body)])
        try Data(body.prefix(10)).write(to: cache.appendingPathComponent(Self.name))

        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path])
        #expect(server.requests.count == 1)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try Data(contentsOf: cache.appendingPathComponent(Self.name)) == Data(body))
    }

    /// Store, then fetch again: with an ETag the second run asks conditionally (304); without
    /// one it asks nothing.
    @Test(arguments: [true, false])
    func secondFetchDownloadsNothing(serverSendsETag: Bool) throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { req, _ in
            if req.target == "/details.html" { return .ok(F.page(["/dl/\(Self.name)"])) }
            if req.headers["if-none-match"] == "\"abc\"" { return .status(304) }
            return .ok(body, headers: serverSendsETag ? [("ETag", "\"abc\"")] : [])
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let first = try F.stag(["fetch", "--page", server.base + "/details.html", "--dir", cache.path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let stored = F.snapshot(cache)

        let second = try F.stag(["fetch", "--page", server.base + "/details.html", "--dir", cache.path, "--json"])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(try F.json(second.stdout)["downloaded"] as? Bool == false)
        #expect(F.snapshot(cache) == stored)
        let fileRequests = server.requests(to: "/dl/\(Self.name)")
        if serverSendsETag {
            #expect(fileRequests.count == 2)
            #expect(fileRequests.last?.headers["if-none-match"] == "\"abc\"")
        } else {
            #expect(fileRequests.count == 1)
        }
    }

    /// --keep 2 with three stored versions: the oldest recorded one goes; unrecorded files stay.
    @Test func keepPrunesTheOldestRecordedVersions() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body(salt: 9)) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [
            .init(name: "ServiceTags_Public_20251007.json", body: F.body(salt: 1)),
            .init(name: "ServiceTags_Public_20251014.json", body: F.body(salt: 2)),
            .init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 3)),
            .init(name: "ServiceTags_Public_20250101.json", body: F.body(salt: 4), recorded: false),
            .init(name: "ServiceTags_AzureGovernment_20250101.json", body: F.body(cloud: "AzureGovernment")),
        ])
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path, "--keep", "2"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(Set(F.snapshot(cache)!.keys) == [
            "ServiceTags_Public_20251021.json", Self.name, F.indexName(Self.name), "ServiceTags_Public_20250101.json",
            "ServiceTags_AzureGovernment_20250101.json", "manifest.json",
        ])
        let manifest = try F.json(String(decoding: try Data(contentsOf: cache.appendingPathComponent("manifest.json")), as: UTF8.self))
        let files = try #require(manifest["files"] as? [[String: Any]]).compactMap { $0["file"] as? String }
        #expect(Set(files) == ["ServiceTags_Public_20251021.json", Self.name, "ServiceTags_AzureGovernment_20250101.json"])
    }

    /// A fetch killed mid-write leaves `.<name>.<pid>.tmp`: failures leave it alone (they write
    /// nothing), the next store removes it; other dot files are never touched.
    @Test func leftoversOfAnInterruptedFetchGoOnTheNextStore() throws {
        let server = try LoopbackHTTPServer { req, _ in req.target.hasPrefix("/bad") ? .status(404) : .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1))])
        let leftovers = [".ServiceTags_Public_20251028.json.4242.tmp", ".manifest.json.4242.tmp"]
        for name in leftovers + [".keep-me"] { try Data("partial".utf8).write(to: cache.appendingPathComponent(name)) }
        let before = F.snapshot(cache)

        let failed = try F.stag(["fetch", "--url", server.base + "/bad/\(Self.name)", "--dir", cache.path])
        #expect(failed.status == 2)
        #expect(F.snapshot(cache) == before)

        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(Set(F.snapshot(cache)!.keys) == ["ServiceTags_Public_20251021.json", Self.name, F.indexName(Self.name), "manifest.json", ".keep-me"])
    }

    @Test func muchSmallerFileIsRefusedUnlessForced() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body(tags: 2)) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(tags: 40))])
        let before = F.snapshot(cache)
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path])
        #expect(run.status == 2)
        #expect(F.snapshot(cache) == before)
        #expect(run.stderr.contains("less than half"), "stderr: \(run.stderr)")
        let forced = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path, "--force"])
        #expect(forced.status == 0, "stderr: \(forced.stderr)")
    }

    // MARK: Listing, verification and data selection (no network, no parsing)

    static func listing(_ cache: URL, _ extra: [String] = []) throws -> (F.Run, [String: Any]) {
        let run = try F.stag(["fetch", "--list", "--json", "--dir", cache.path] + extra)
        return (run, try F.json(run.stdout))
    }

    @Test func listShowsEachVersionItsStatusAndTheDefault() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [
            .init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1)),
            .init(name: "ServiceTags_Public_20251028.json", body: F.body(salt: 2)),
            .init(name: "ServiceTags_AzureGovernment_20260720.json", body: F.body(cloud: "AzureGovernment")),
            .init(name: "ServiceTags_China_20250804.json", body: F.body(cloud: "China"), recorded: false),
        ])
        let (run, list) = try Self.listing(cache)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(list["default"] as? String == cache.appendingPathComponent("ServiceTags_Public_20251028.json").path)
        let files = try #require(list["files"] as? [[String: Any]])
        #expect(files.compactMap { ($0["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } } == [
            "ServiceTags_Public_20251021.json", "ServiceTags_Public_20251028.json",
            "ServiceTags_AzureGovernment_20260720.json", "ServiceTags_China_20250804.json",
        ])
        #expect(files.compactMap { $0["status"] as? String } == ["ok", "ok", "ok", "unrecorded"])
        #expect(files[1]["sha256"] as? String == F.sha256(Data(F.body(salt: 2))))

        let text = try F.stag(["fetch", "--list", "--dir", cache.path, "--cloud", "public"])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count == 3)  // header and two Public rows
        #expect(text.stdout.contains("ServiceTags_Public_20251028.json  (default)"))
    }

    @Test func verifyRehashesAndFailsOnAChangedFile() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1)),
                               .init(name: Self.name, body: F.body(salt: 2))])
        #expect(try F.stag(["fetch", "--verify", "--dir", cache.path]).status == 0)

        // Same size, different bytes: only hashing notices.
        var tampered = F.body(salt: 2)
        tampered[tampered.count - 3] = UInt8(ascii: " ")
        try Data(tampered).write(to: cache.appendingPathComponent(Self.name))
        let (listRun, list) = try Self.listing(cache)
        #expect(listRun.status == 0)
        #expect((list["files"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["ok", "ok"])
        let verify = try F.stag(["fetch", "--verify", "--json", "--dir", cache.path])
        #expect(verify.status == 2)
        #expect(try (F.json(verify.stdout)["files"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["ok", "modified"])
        #expect(verify.stderr.contains("\(Self.name) (modified)"), "stderr: \(verify.stderr)")
    }

    @Test func dataSelectionPrefersTheManifestThenNames() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        // The manifest records 20251021; a newer-named file was dropped in by hand.
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1)),
                               .init(name: Self.name, body: F.body(salt: 2), recorded: false)])
        #expect(try Self.listing(cache).1["default"] as? String == cache.appendingPathComponent("ServiceTags_Public_20251021.json").path)

        // A manifest entry whose file lost bytes is not trusted: names decide.
        try Data(F.body(salt: 1).prefix(5)).write(to: cache.appendingPathComponent("ServiceTags_Public_20251021.json"))
        let (damaged, list) = try Self.listing(cache)
        #expect(list["default"] as? String == cache.appendingPathComponent(Self.name).path)
        #expect(damaged.stderr.contains("ignoring it"), "stderr: \(damaged.stderr)")

        // An unreadable manifest: a warning, then names.
        try Data("{\"manifestVersion\": 1, \"files\": [".utf8).write(to: cache.appendingPathComponent("manifest.json"))
        let (corrupt, list2) = try Self.listing(cache)
        #expect(list2["default"] as? String == cache.appendingPathComponent(Self.name).path)
        #expect(corrupt.stderr.contains("manifest.json: 1:34 (byte 33): unexpected end of input"), "stderr: \(corrupt.stderr)")

        // Only Government files: the newest of them is the default.
        let gov = dir.appendingPathComponent("gov")
        try F.populate(gov, [.init(name: "ServiceTags_AzureGovernment_20260713.json", body: F.body(cloud: "AzureGovernment")),
                             .init(name: "ServiceTags_AzureGovernment_20260720.json", body: F.body(cloud: "AzureGovernment"))])
        #expect(try Self.listing(gov).1["default"] as? String == gov.appendingPathComponent("ServiceTags_AzureGovernment_20260720.json").path)
    }

    /// The default data of other commands comes from the same choice (needs the reader to load it).
    @Test func infoReadsTheManifestsChoice() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1)),
                               .init(name: Self.name, body: F.body(salt: 2), recorded: false)])
        let run = try F.stag(["info", "--json"], environment: ["STAG_CACHE_DIR": cache.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try F.json(run.stdout)["file"] as? String == cache.appendingPathComponent("ServiceTags_Public_20251021.json").path)
    }

    @Test func missingDownloaderIsReported() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lonely = dir.appendingPathComponent("stag")
        try FileManager.default.copyItem(at: F.stagBinary, to: lonely)
        // PATH names only this directory: a stag-fetch installed elsewhere must not be found.
        let run = try F.stag(["fetch", "--dir", dir.path], environment: ["PATH": dir.path], binary: lonely)
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(dir.path)/stag-fetch is missing"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("swift build --product stag-fetch"))
        // Listing needs no downloader.
        #expect(try F.stag(["fetch", "--list", "--dir", dir.path], binary: lonely).status == 0)
    }

    /// The architecture rule: `stag` starts without Foundation; only `stag-fetch` links it.
    @Test func onlyTheDownloaderLinksFoundation() throws {
        let needle = Data("libFoundation".utf8)
        let stag = try Data(contentsOf: F.stagBinary)
        let downloader = try Data(contentsOf: F.productsDirectory.appendingPathComponent("stag-fetch"))
        #expect(stag.range(of: needle) == nil, "stag links Foundation")
        #expect(downloader.range(of: needle) != nil)
    }

    @Test func helpAndUsageErrors() throws {
        let help = try F.stag(["fetch", "--help"])
        #expect(help.status == 0)
        for option in ["--cloud", "--dir", "--url", "--page", "--allow-http", "--keep", "--timeout", "--retries", "--force", "--list", "--verify"] {
            #expect(help.stdout.contains(option), "help lacks \(option)")
        }
        #expect(try F.stag(["--help"]).stdout.contains("fetch"))
        let badCloud = try F.stag(["fetch", "--cloud", "gov"])
        #expect(badCloud.status == 2)
        #expect(badCloud.stderr.contains("did you mean 'usgov'?"))
        let badKeep = try F.stag(["fetch", "--keep", "0", "--url", "https://mirror.example/\(Self.name)", "--dir", "/nonexistent/x"])
        #expect(badKeep.status == 2)
        #expect(badKeep.stderr.contains("--keep needs a whole number of at least 1"), "stderr: \(badKeep.stderr)")
        let mixed = try F.stag(["fetch", "--list", "--url", "https://mirror.example/\(Self.name)"])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("--url cannot be combined with --list"))
    }
}

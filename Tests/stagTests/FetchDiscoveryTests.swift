import Foundation
import Testing

/// `stag fetch` against a loopback server: discovery, retries, timeouts, validation, and the
/// rule that a failure leaves the cache exactly as it was (listing and bytes).
@Suite struct FetchDiscoveryTests {
    typealias F = FetchFixtures
    static let name = "ServiceTags_Public_20251028.json"

    /// A cache holding last week's file, recorded in a manifest.
    static func previousCache(_ dir: URL) throws -> URL {
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(changeNumber: 6, salt: 1))])
        return cache
    }

    /// Runs a fetch expected to fail: exit 2, the cache's listing and bytes unchanged, the kept file named.
    static func expectFailureKeepsCache(_ cache: URL, _ arguments: [String], environment: [String: String] = [:],
                                        mentioning: [String], keeps: String? = "ServiceTags_Public_20251021.json") throws -> F.Run {
        let before = F.snapshot(cache)
        let run = try F.stag(["fetch", "--dir", cache.path] + arguments, environment: environment)
        #expect(run.status == 2, "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(F.snapshot(cache) == before, "the cache changed")
        if let keeps, before?[keeps] != nil {
            #expect(run.stderr.contains("keeping \(cache.path)/\(keeps), the newest stored"), "stderr: \(run.stderr)")
        }
        for text in mentioning { #expect(run.stderr.contains(text), "stderr lacks \(text): \(run.stderr)") }
        return run
    }

    @Test func oneLinkIsDownloadedValidatedAndRecorded() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { req, _ in
            switch req.target {
            case "/details.html": .ok(F.page(["/dl/\(Self.name)"]))
            case "/dl/\(Self.name)": .ok(body)
            default: .status(404)
            }
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("new-cache")  // does not exist yet

        let run = try F.stag(["fetch", "--page", server.base + "/details.html", "--dir", cache.path, "--json"])
        #expect(server.requests.map(\.target) == ["/details.html", "/dl/\(Self.name)"])
        #expect(server.requests.allSatisfy { $0.headers["user-agent"]?.hasPrefix("Mozilla/5.0") == true })
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let result = try F.json(run.stdout)
        let stored = cache.appendingPathComponent(Self.name)
        #expect(result["file"] as? String == stored.path)
        #expect(result["downloaded"] as? Bool == true)
        #expect(result["cloud"] as? String == "Public")
        #expect(try Data(contentsOf: stored) == Data(body))
        // Only the file, its compiled index and the manifest: no temporary files left behind.
        #expect(Set(F.snapshot(cache)!.keys) == [Self.name, F.indexName(Self.name), "manifest.json"])

        let manifest = try F.json(String(decoding: try Data(contentsOf: cache.appendingPathComponent("manifest.json")), as: UTF8.self))
        #expect(manifest["manifestVersion"] as? Int == 1)
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(files.count == 1)
        let entry = try #require(files.first)
        #expect(entry["file"] as? String == Self.name)
        #expect(entry["cloud"] as? String == "Public")
        #expect(entry["date"] as? String == "20251028")
        #expect(entry["changeNumber"] as? Int == 7)
        #expect(entry["size"] as? Int == body.count)
        #expect(entry["sha256"] as? String == F.sha256(Data(body)))
        #expect(entry["url"] as? String == server.base + "/dl/\(Self.name)")
        #expect((entry["fetchedAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
    }

    @Test func severalDatedLinksTheNewestWins() throws {
        let server = try LoopbackHTTPServer { req, _ in
            switch req.target {
            case "/details.html":
                .ok(F.page(["ServiceTags_Public_20251014.json", "/abs/ServiceTags_Public_20251028.json", "files/ServiceTags_Public_20251021.json"]))
            case "/abs/ServiceTags_Public_20251028.json": .ok(F.body(changeNumber: 8))
            default: .ok(F.body(changeNumber: 1))
            }
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)

        let run = try F.stag(["fetch", "--page", server.base + "/details.html", "--dir", cache.path])
        #expect(server.requests.map(\.target) == ["/details.html", "/abs/ServiceTags_Public_20251028.json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == cache.appendingPathComponent(Self.name).path + "\n")
        #expect(Set(F.snapshot(cache)!.keys) == ["ServiceTags_Public_20251021.json", Self.name, F.indexName(Self.name), "manifest.json"])
    }

    @Test func pageWithoutALinkFails() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(Array("<html><body>We are updating this page.</body></html>".utf8)) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        _ = try Self.expectFailureKeepsCache(cache, ["--page", server.base + "/details.html"],
                                             mentioning: ["page \(server.base)/details.html: no link to ServiceTags_Public_YYYYMMDD.json"])
        #expect(server.requests.count == 1)
    }

    /// The page is gone (404: not retried, next strategy), the file answers 500 then 503 then 200.
    @Test func notFoundMovesOnAndServerErrorsAreRetried() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { req, previous in
            switch (req.target, previous) {
            case ("/details.html", _): .status(404, body: Array("gone".utf8))
            case ("/dl/\(Self.name)", 0): .status(500)
            case ("/dl/\(Self.name)", 1): .status(503)
            case ("/dl/\(Self.name)", _): .ok(body)
            default: .status(404)
            }
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)

        let run = try F.stag(["fetch", "--dir", cache.path, "--page", server.base + "/details.html",
                              "--url", server.base + "/dl/\(Self.name)", "--retries", "2"])
        #expect(server.requests(to: "/details.html").count == 1)
        #expect(server.requests(to: "/dl/\(Self.name)").count == 3)
        #expect(run.stderr.contains("HTTP 500 Internal Server Error; retrying in 5 ms (attempt 2 of 3)"), "stderr: \(run.stderr)")
        #expect(run.stderr.contains("HTTP 503 Service Unavailable; retrying in 10 ms (attempt 3 of 3)"), "stderr: \(run.stderr)")
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("page \(server.base)/details.html: HTTP 404 Not Found (another source worked)"), "stderr: \(run.stderr)")
        #expect(try Data(contentsOf: cache.appendingPathComponent(Self.name)) == Data(body))
    }

    @Test func serverErrorsBeyondTheRetryBudgetFail() throws {
        let server = try LoopbackHTTPServer { _, _ in .status(500) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        _ = try Self.expectFailureKeepsCache(cache, ["--url", server.base + "/dl/\(Self.name)", "--retries", "1"],
                                             mentioning: ["HTTP 500 Internal Server Error (after 2 attempts)"])
        #expect(server.requests.count == 2)
    }

    /// Content-Length promises more than arrives: a cut connection, retried, then given up.
    @Test func truncatedBodyWithALengthNeverReplacesTheCache() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { _, _ in .truncated(declaredLength: body.count, body: Array(body.prefix(body.count / 2))) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        _ = try Self.expectFailureKeepsCache(cache, ["--url", server.base + "/dl/\(Self.name)", "--retries", "1"],
                                             mentioning: ["--url \(server.base)/dl/\(Self.name): ", "(after 2 attempts)"])
        #expect(server.requests.count == 2)
    }

    /// Without a length, only the parser can tell the body was cut.
    @Test func truncatedBodyWithoutALengthIsRejectedByTheParser() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { _, _ in .unframed(Array(body.prefix(body.count - 20))) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        let run = try Self.expectFailureKeepsCache(cache, ["--url", server.base + "/dl/\(Self.name)"], mentioning: [])
        #expect(run.stderr.contains("not a valid ServiceTags file"), "stderr: \(run.stderr)")
    }

    @Test func wrongCloudIsRefused() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body(cloud: "AzureGovernment")) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        let run = try Self.expectFailureKeepsCache(cache, ["--url", server.base + "/dl/\(Self.name)"], mentioning: [])
        #expect(run.stderr.contains("the file is for cloud \"AzureGovernment\", not \"Public\""), "stderr: \(run.stderr)")
    }

    @Test func governmentCloudIsStoredUnderItsOwnName() throws {
        let gov = "ServiceTags_AzureGovernment_20260720.json"
        let server = try LoopbackHTTPServer { req, _ in
            req.target == "/details.html"
                ? .ok(F.page(["/dl/ServiceTags_Public_20260720.json", "/dl/\(gov)"]))
                : .ok(F.body(cloud: "AzureGovernment", changeNumber: 402))
        }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let run = try F.stag(["fetch", "--cloud", "usgov", "--page", server.base + "/details.html", "--dir", cache.path])
        #expect(server.requests.map(\.target) == ["/details.html", "/dl/\(gov)"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == cache.appendingPathComponent(gov).path + "\n")
    }

    /// The body trickles in steadily but too slowly: the whole-request limit stops it.
    @Test func slowBodyPastTheTimeoutFails() throws {
        let body = F.body()
        let server = try LoopbackHTTPServer { _, _ in .trickle(body, interval: 0.1) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        let run = try Self.expectFailureKeepsCache(cache, ["--url", server.base + "/dl/\(Self.name)", "--timeout", "1", "--retries", "0"],
                                                   mentioning: ["timed out after 1 s"])
        #expect(run.seconds >= 0.9 && run.seconds < 4, "took \(run.seconds) s")
    }

    @Test func plainHTTPIsRefusedExceptForLoopbackOrWithAllowHTTP() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        _ = try Self.expectFailureKeepsCache(cache, ["--url", "http://mirror.example/\(Self.name)"],
                                             mentioning: ["plain HTTP is refused for mirror.example"])
        _ = try Self.expectFailureKeepsCache(cache, ["--url", "ftp://mirror.example/\(Self.name)"], mentioning: ["only https URLs"])

        // A loopback page may not redirect the download to plain HTTP elsewhere.
        let server = try LoopbackHTTPServer { _, _ in .status(302, headers: [("Location", "http://mirror.example/\(Self.name)")]) }
        defer { server.stop() }
        _ = try Self.expectFailureKeepsCache(cache, ["--url", server.base + "/dl/\(Self.name)"],
                                             mentioning: ["redirect refused: plain HTTP is refused for mirror.example"])
        #expect(server.requests.count == 1)
    }

    @Test func theURLMustNameADatedFileOfTheCloud() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = try Self.previousCache(dir)
        _ = try Self.expectFailureKeepsCache(cache, ["--url", "https://mirror.example/ServiceTags_Public_Latest.json"],
                                             mentioning: ["--url must name a file ServiceTags_Public_YYYYMMDD.json"])
        _ = try Self.expectFailureKeepsCache(cache, ["--cloud", "china", "--url", "https://mirror.example/\(Self.name)"],
                                             mentioning: ["ServiceTags_China_YYYYMMDD.json", "no China file is stored in \(cache.path)"],
                                             keeps: nil)
    }

    /// libcurl (under URLSession) reads http_proxy and no_proxy from the environment.
    @Test func proxyVariablesAreHonoured() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")

        // Through the proxy: the server receives the absolute URL of a host that does not exist.
        let run = try F.stag(["fetch", "--dir", cache.path, "--allow-http", "--url", "http://mirror.example/dl/\(Self.name)"],
                             environment: ["http_proxy": server.base])
        #expect(server.requests.map(\.target) == ["http://mirror.example/dl/\(Self.name)"], "stderr: \(run.stderr)")
        #expect(run.status == 0, "stderr: \(run.stderr)")

        // no_proxy exempts the loopback server from a proxy that does not answer.
        let run2 = try F.stag(["fetch", "--dir", cache.path, "--force", "--url", server.base + "/direct/\(Self.name)"],
                              environment: ["http_proxy": "http://127.0.0.1:9", "no_proxy": "127.0.0.1,localhost"])
        #expect(server.requests.last?.target == "/direct/\(Self.name)", "stderr: \(run2.stderr)")
    }
}

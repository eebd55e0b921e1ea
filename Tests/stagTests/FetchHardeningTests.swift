import Foundation
import ExportTargetModels
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8 items 2 and 5: the cache directory's permissions, exclusive temporaries, dates and
/// changeNumbers that would roll the default file back or pin it forever, and a write cut short.
@Suite struct FetchHardeningTests {
    typealias F = FetchFixtures
    static let name = "ServiceTags_Public_20251028.json"
    static let today = ["STAG_FETCH_TODAY": "20251030"]

    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0xFFFF
    }

    @Test func newCacheDirectoryAndItsParentsAreCreated0700() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("parent/cache")
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path], environment: Self.today)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(Self.mode(cache.path) == 0o700)
        #expect(Self.mode(dir.appendingPathComponent("parent").path) == 0o700)
    }

    @Test(arguments: [0o777 as mode_t, 0o775, 0o757])
    func cacheDirectoryOthersCanWriteIsRefused(mode: mode_t) throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1))])
        #expect(chmod(cache.path, mode) == 0)
        let before = F.snapshot(cache)
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path], environment: Self.today)
        #expect(run.status == 2)
        #expect(run.stderr.contains("can be written by others"), "stderr: \(run.stderr)")
        #expect(server.requests.isEmpty)
        #expect(F.snapshot(cache) == before)
        // Sticky (as /tmp): others cannot remove or rename our entries, so it is accepted.
        #expect(chmod(cache.path, 0o1777) == 0)
        let sticky = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path], environment: Self.today)
        #expect(sticky.status == 0, "stderr: \(sticky.stderr)")
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the directory and a link to another user"))
    func cacheDirectoryOrLinkOwnedBySomeoneElseIsRefused() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let foreign = dir.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        #expect(chown(foreign.path, 4242, 4242) == 0)
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", foreign.path], environment: Self.today)
        #expect(run.status == 2)
        #expect(run.stderr.contains("owned by uid 4242"), "stderr: \(run.stderr)")

        let mine = dir.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        let link = dir.appendingPathComponent("link")
        #expect(symlink(mine.path, link.path) == 0)
        #expect(lchown(link.path, 4242, 4242) == 0)
        let linked = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", link.path], environment: Self.today)
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("symbolic link owned by uid 4242"), "stderr: \(linked.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path).isEmpty)
        #expect(server.requests.isEmpty)
    }

    /// Fetches `file` (served as `body`) into a cache holding one older week: refused with
    /// `message` and nothing changed, then `between` runs, then `--allow-rollback` stores it.
    static func checkRefusedUnlessAllowRollback(_ file: String, body: [UInt8], message: String,
                                                between: (URL, LoopbackHTTPServer) throws -> Void = { _, _ in }) throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(body) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1))])
        let before = F.snapshot(cache)
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(file)", "--dir", cache.path], environment: Self.today)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "stderr: \(run.stderr)")
        #expect(F.snapshot(cache) == before)
        try between(cache, server)
        let allowed = try F.stag(["fetch", "--url", server.base + "/dl/\(file)", "--dir", cache.path, "--allow-rollback"],
                                 environment: Self.today)
        #expect(allowed.status == 0, "stderr: \(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent(file).path))
    }

    /// Item 2's attack as it was: stag-fetch named its temporaries `.<name>.<pid>.tmp` and opened
    /// them following links, so links planted at those names for the next few thousand pids (pids
    /// are handed out in order) made the fetch write through one of them into the victim. Now the
    /// names carry a random token and are opened `O_EXCL | O_NOFOLLOW`: the victim stays intact.
    @Test func linksPlantedAtPidNamedTemporariesAreNotFollowed() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        #expect(chmod(cache.path, 0o700) == 0)
        let victim = dir.appendingPathComponent("victim")
        try Data("precious\n".utf8).write(to: victim)
        let first = Int(getpid()) + 1
        for pid in first ..< first + 1500 {
            for name in [Self.name, "manifest.json"] {
                #expect(symlink(victim.path, cache.appendingPathComponent(".\(name).\(pid).tmp").path) == 0)
            }
        }
        let run = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path], environment: Self.today)
        #expect(run.status == 0, "stderr: \(run.stderr.prefix(2000))")
        #expect(try Data(contentsOf: victim) == Data("precious\n".utf8))
        #expect(try Data(contentsOf: cache.appendingPathComponent(Self.name)) == Data(F.body()))
    }

    @Test func futureDatedNameIsRefusedUnlessAllowRollback() throws {
        // 15 days after 20251030.
        try Self.checkRefusedUnlessAllowRollback("ServiceTags_Public_20251114.json", body: F.body(),
                                                 message: "more than 14 days after today") { cache, server in
            // 14 days ahead is still accepted.
            let edge = try F.stag(["fetch", "--url", server.base + "/dl/ServiceTags_Public_20251113.json", "--dir", cache.path],
                                  environment: Self.today)
            #expect(edge.status == 0, "stderr: \(edge.stderr)")
        }
    }

    @Test func lowerChangeNumberIsRefusedUnlessAllowRollback() throws {
        // The stored week has changeNumber 7.
        try Self.checkRefusedUnlessAllowRollback(Self.name, body: F.body(changeNumber: 6), message: "changeNumber 6 is lower than 7")
    }

    @Test func defaultFileTouchedAfterFetchWarns() throws {
        let server = try LoopbackHTTPServer { _, _ in .ok(F.body()) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        let fetched = try F.stag(["fetch", "--url", server.base + "/dl/\(Self.name)", "--dir", cache.path], environment: Self.today)
        #expect(fetched.status == 0, "stderr: \(fetched.stderr)")
        let clean = try F.stag(["info"], environment: ["STAG_CACHE_DIR": cache.path])
        #expect(clean.status == 0)
        #expect(!clean.stderr.contains("modified"), "stderr: \(clean.stderr)")
        // Same bytes, new mtime: only the recorded mtime tells.
        let path = cache.appendingPathComponent(Self.name).path
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let touched = try F.stag(["info"], environment: ["STAG_CACHE_DIR": cache.path])
        #expect(touched.status == 0)
        #expect(touched.stderr.contains("was modified after 'stag fetch' stored it"), "stderr: \(touched.stderr)")
    }

    /// `ulimit -f` cuts the data file (big body) or the manifest (long URL) part-way; SIGXFSZ is
    /// ignored so the write fails with EFBIG: the previous file and manifest stay, no litter.
    @Test(.fileSizeLimits, arguments: [(true, false), (false, true)])
    func writeCutShortLosesNothing(bigBody: Bool, longURL: Bool) throws {
        let body = bigBody ? F.body(tags: 400) : F.body()
        let server = try LoopbackHTTPServer { _, _ in .ok(body) }
        defer { server.stop() }
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        try F.populate(cache, [.init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 1))])
        let before = F.snapshot(cache)
        let url = server.base + "/dl/\(Self.name)" + (longURL ? "?pad=" + String(repeating: "x", count: 40_000) : "")
        // 64 blocks of 512 bytes (dash) = 32 KiB: more than a small body, less than the big one or the manifest.
        let script = "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\""
        let run = try F.stag(["-c", script, F.stagBinary.path, "fetch", "--url", url, "--dir", cache.path],
                             environment: Self.today, binary: URL(fileURLWithPath: "/bin/sh"))
        #expect(run.status == 2, "stderr: \(run.stderr)")
        #expect(!run.signaled)
        let after = F.snapshot(cache) ?? [:]
        for (name, bytes) in before ?? [:] { #expect(after[name] == bytes, "\(name) changed") }
        #expect(after.keys.filter { $0.hasSuffix(".tmp") }.isEmpty, "litter: \(after.keys.sorted())")
    }
}

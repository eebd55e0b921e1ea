@testable import ExportTargetModels
import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The nightly job recipe, `docs/nightly-nft.sh` (issue 10, part 6), run against a loopback mirror
/// (the fetch tests' server) with nft in a throwaway network namespace. The script runs in the
/// test's namespace (it must reach the mirror on 127.0.0.1); its `NFT` is a wrapper that enters a
/// persistent namespace (`unshare --net=FILE`), logs each call and can be told to fail.
///
/// Reference: each selected tag's sets in the kernel, read back with `nft -j` by the independent
/// parser, hold exactly the prefixes the served file lists for that tag (read with
/// JSONSerialization).
@Suite(.enabled(if: NightlyNamespaces.usable, "needs nft, unshare --net=FILE and nsenter (tool, kernel or privileges)"))
struct NightlyJobTests {
    static let script = StagCLI.packageRoot.appendingPathComponent("docs/nightly-nft.sh").path

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// `/bin/sh -c script` with `argument` as $1: paths reach the shell as data, never as code.
    static func sh(_ script: String, _ argument: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ChildProcess.run("/bin/sh", ["-c", script, "sh", argument], timeout: 30)
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    /// What the mirror serves: a page linking the current file, and the file (whole or cut short).
    final class Mirror: @unchecked Sendable {
        private let lock = NSLock()
        private var name = "", body: [UInt8] = [], truncated = false
        func serve(_ name: String, _ body: [UInt8], truncated: Bool = false) {
            lock.withLock { (self.name, self.body, self.truncated) = (name, body, truncated) }
        }
        func reply(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Reply {
            lock.withLock {
                if request.target == "/page" { return .ok(FetchFixtures.page([name])) }
                guard request.target == "/" + name else { return .status(404) }
                return truncated ? .truncated(declaredLength: body.count, body: Array(body.prefix(body.count / 2))) : .ok(body)
            }
        }
    }

    /// The scratch directory: the cache, the state file, the namespace file and the nft wrapper.
    struct Job {
        var dir: URL
        var namespace: String { dir.appendingPathComponent("ns").path }
        var state: String { dir.appendingPathComponent("state/nightly-nft.state").path }
        var calls: String { dir.appendingPathComponent("nft-calls").path }
        var failFlag: String { dir.appendingPathComponent("fail-nft").path }
        var wrapper: String { dir.appendingPathComponent("nft").path }

        init() throws {
            dir = try FetchFixtures.temporaryDirectory()
            _ = FileManager.default.createFile(atPath: namespace, contents: nil)
            let made = try NightlyJobTests.sh("unshare --net=\"$1\" true", namespace)
            guard made.status == 0 else { throw Failure("unshare --net failed: \(made.stderr)") }
            // The paths are this test's own (a UUID directory), passed as arguments, not spliced.
            let text = "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/nft-calls\"\n"
                + "[ ! -e \"$(dirname \"$0\")/fail-nft\" ] || exit 1\n"
                + "exec nsenter --net=\"$(dirname \"$0\")/ns\" nft \"$@\"\n"
            try text.write(toFile: wrapper, atomically: true, encoding: .utf8)
            chmod(wrapper, 0o755)
        }

        func remove() {
            _ = try? NightlyJobTests.sh("umount \"$1\"", namespace)
            try? FileManager.default.removeItem(at: dir)
        }

        var nftCalls: Int { ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").count }

        func run(_ server: LoopbackHTTPServer, tags: [String]) throws -> StagCLI.Result {
            let r = try ChildProcess.run("/bin/sh", [NightlyJobTests.script], environment: StagCLI.cleanEnvironment(home: dir.path, adding: [
                "STAG": StagCLI.executable.path, "STAG_CACHE_DIR": dir.appendingPathComponent("cache").path,
                "NIGHTLY_STATE": state, "NIGHTLY_PAGE": server.base + "/page", "NIGHTLY_TAGS": tags.joined(separator: " "),
                "NFT": wrapper, "STAG_FETCH_TODAY": "20251110",
            ]), timeout: 30)
            return StagCLI.Result(status: r.status, signaled: r.signaled, stdout: String(decoding: r.stdout, as: UTF8.self),
                                  stderr: String(decoding: r.stderr, as: UTF8.self), stdoutBytes: r.stdout, seconds: 0)
        }

        /// Set name -> addresses in the namespace's table inet azst (empty when there is no table).
        func sets() throws -> [String: IPSet] {
            let r = try NightlyJobTests.sh("nsenter --net=\"$1\" nft -j list tables", namespace)
            guard r.status == 0 else { throw Failure("nft list tables: \(r.stderr)") }
            guard r.stdout.contains("\"azst\"") else { return [:] }
            let listed = try NightlyJobTests.sh("nsenter --net=\"$1\" nft -j list table inet azst", namespace)
            guard listed.status == 0 else { throw Failure("nft list table: \(listed.stderr)") }
            return try KernelSets.nftSets(listed.stdout)
        }
    }

    /// Expects the kernel's sets for `tags` to hold exactly the prefixes `file` lists for them, and
    /// no other sets.
    static func expectLoaded(_ job: Job, _ tags: [String], as file: String, _ label: String) throws {
        let listed = try DiffDeltaCLITests.listedPrefixes(file)
        let sets = try job.sets()
        for tag in tags {
            let want = IPSet(try (listed[tag] ?? []).map { try SlowAddressParser.requirePrefix($0) })
            let got = (sets[tag + "_v4"] ?? IPSet()).union(sets[tag + "_v6"] ?? IPSet())
            #expect(got == want, "\(label): \(tag) differs from the file")
        }
        let expected = Set(tags.flatMap { [$0 + "_v4", $0 + "_v6"] })
        #expect(Set(sets.keys).isSubset(of: expected), "\(label): unexpected sets \(Set(sets.keys).subtracting(expected).sorted())")
    }

    @Test func firstRunLoadsTheListsThenEachChangeIsAppliedOnce() throws {
        let week1 = SyntheticServiceTags(.init(tags: 40, prefixes: 400, seed: 606)).file
        let evolved = SyntheticServiceTags.evolve(week1, seed: 6)
        let week2 = evolved.file, week3 = SyntheticServiceTags.nextWeek(of: week2, seed: 7)
        let stay = Set(week2.tags.map(\.name))
        let changed = evolved.changedTags.filter(stay.contains)
        let unchanged = week1.tags.map(\.name).first { stay.contains($0) && !evolved.changedTags.contains($0) }
        let tags = Array(changed.prefix(2)) + (unchanged.map { [$0] } ?? [])
        try #require(changed.count >= 1, "the synthetic week changes no kept tag")

        let job = try Job()
        defer { job.remove() }
        let mirror = Mirror()
        let server = try LoopbackHTTPServer { request, _ in mirror.reply(request) }
        defer { server.stop() }
        let writer = ServiceTagsJSONWriter()
        let files = job.dir.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        func serve(_ name: String, _ file: ServiceTagsFile, truncated: Bool = false) throws -> String {
            let bytes = writer.bytes(of: file)
            let path = files.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            mirror.serve(name, bytes, truncated: truncated)
            return path
        }
        func state() -> String? { try? String(contentsOfFile: job.state, encoding: .utf8) }

        // Week 1, first run ever: the full lists.
        let first = try serve("ServiceTags_Public_20251020.json", week1)
        var r = try job.run(server, tags: tags)
        #expect(r.status == 0, "week 1: \(r.stderr)")
        #expect(r.stdout.hasPrefix("applied ServiceTags_Public_20251020.json: the full lists"), "\(r.stdout)")
        try Self.expectLoaded(job, tags, as: first, "week 1")
        #expect(job.nftCalls == 1)
        let afterWeek1 = state()
        #expect(afterWeek1?.contains("file=ServiceTags_Public_20251020.json\n") == true, "\(afterWeek1 ?? "no state")")

        // Week 2, but nft fails: exit 2, the state stays at week 1, and the next run applies the change.
        let second = try serve("ServiceTags_Public_20251027.json", week2)
        let before = try DiffDeltaCLITests.listedPrefixes(first), after = try DiffDeltaCLITests.listedPrefixes(second)
        #expect(tags.contains { Set(before[$0] ?? []) != Set(after[$0] ?? []) }, "week 2 changes none of the selected tags")
        _ = FileManager.default.createFile(atPath: job.failFlag, contents: nil)
        r = try job.run(server, tags: tags)
        #expect(r.status == 2 && r.stderr.contains("nft -f failed"), "\(r.status) \(r.stderr)")
        #expect(state() == afterWeek1)
        try FileManager.default.removeItem(atPath: job.failFlag)
        r = try job.run(server, tags: tags)
        #expect(r.status == 0, "week 2: \(r.stderr)")
        #expect(r.stdout.hasPrefix("applied ServiceTags_Public_20251027.json: the delta from ServiceTags_Public_20251020.json"),
                "\(r.stdout)")
        #expect(r.stdout.contains("(downloaded: false)"), "fetch stored week 2 in the failed run: \(r.stdout)")
        try Self.expectLoaded(job, tags, as: second, "week 2")
        let afterWeek2 = state(), calls = job.nftCalls
        #expect(calls == 3)

        // The same week again: nothing applied, nft not run, exit 0.
        r = try job.run(server, tags: tags)
        #expect(r.status == 0, "rerun: \(r.stderr)")
        #expect(r.stdout.hasPrefix("nothing to apply: ServiceTags_Public_20251027.json is applied already"), "\(r.stdout)")
        #expect(job.nftCalls == calls && state() == afterWeek2)
        try Self.expectLoaded(job, tags, as: second, "rerun")

        // A truncated week 3: fetch refuses it, nothing applied, the sets stay at week 2.
        _ = try serve("ServiceTags_Public_20251103.json", week3, truncated: true)
        r = try job.run(server, tags: tags)
        #expect(r.status == 2 && r.stderr.contains("stag fetch failed"), "\(r.status) \(r.stderr)")
        #expect(job.nftCalls == calls && state() == afterWeek2)
        try Self.expectLoaded(job, tags, as: second, "truncated week 3")
    }
}

/// Whether nft runs in a persistent namespace (`unshare --net=FILE`, entered with nsenter), probed once.
enum NightlyNamespaces {
    static let usable: Bool = {
        guard KernelSets.available("nft", for: "NightlyJobTests"),
              let r = try? KernelSets.shell("command -v nsenter >/dev/null && touch ns && unshare --net=\"$PWD/ns\" true && nsenter --net=\"$PWD/ns\" nft list ruleset && umount ns"),
              r.status == 0 else {
            print("NightlyJobTests: 'unshare --net=FILE' with nsenter is not available here; skipped")
            return false
        }
        return true
    }()
}

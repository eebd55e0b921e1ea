import Foundation
import Testing

/// `stag fetch --import FILE` (issue 12, part 4): a file copied in from elsewhere is stored through
/// the same validation, rollback checks and manifest as a download, with no network at all.
@Suite struct FetchImportTests {
    typealias F = FetchFixtures
    static let today = ["STAG_FETCH_TODAY": "20251030"]

    /// A scratch directory holding `files` (name -> bytes), and the cache path inside it.
    static func scratch(_ files: [String: [UInt8]]) throws -> (dir: URL, cache: URL) {
        let dir = try F.temporaryDirectory()
        for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        return (dir, dir.appendingPathComponent("cache"))
    }

    @Test func importStoresTheFileWithItsManifestEntryAndIndex() throws {
        let body = F.body(changeNumber: 9)
        let (dir, cache) = try Self.scratch(["ServiceTags_Public_20251028.json": body])
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("ServiceTags_Public_20251028.json").path
        let run = try F.stag(["fetch", "--import", source, "--dir", cache.path, "--json"], environment: Self.today)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try F.json(run.stdout)
        #expect(result["downloaded"] as? Bool == true && result["changeNumber"] as? Int == 9)
        #expect(result["sha256"] as? String == F.sha256(Data(body)))
        #expect(result["url"] as? String == URL(fileURLWithPath: source).absoluteString)
        let stored = cache.appendingPathComponent("ServiceTags_Public_20251028.json")
        #expect(FileManager.default.contents(atPath: stored.path) == Data(body))
        #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent(F.indexName(stored.lastPathComponent)).path))
        // The stored file is the default data, as after a download.
        let lookup = try F.stag(["lookup", "10.0.0.1", "--json"], environment: ["STAG_CACHE_DIR": cache.path])
        #expect(lookup.status == 0 && lookup.stdout.contains("\"TestTag0\""), "\(lookup.stderr)")
        // The same file again: nothing stored, exit 0.
        let again = try F.stag(["fetch", "--import", source, "--dir", cache.path, "--json"], environment: Self.today)
        let againResult = try F.json(again.stdout)
        #expect(again.status == 0 && againResult["downloaded"] as? Bool == false)
        let list = try F.stag(["fetch", "--list", "--dir", cache.path, "--json"])
        let files = try #require(try F.json(list.stdout)["files"] as? [[String: Any]])
        #expect(files.count == 1 && files.first?["status"] as? String == "ok")
    }

    @Test func importTakesTheCloudFromTheName() throws {
        let body = F.body(cloud: "AzureGovernment")
        let (dir, cache) = try Self.scratch(["ServiceTags_AzureGovernment_20251027.json": body])
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("ServiceTags_AzureGovernment_20251027.json").path
        let run = try F.stag(["fetch", "--import", source, "--dir", cache.path, "--json"], environment: Self.today)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try F.json(run.stdout)["cloud"] as? String == "AzureGovernment")
        let wrong = try F.stag(["fetch", "--import", source, "--cloud", "public", "--dir", cache.path], environment: Self.today)
        #expect(wrong.status == 2 && wrong.stderr.contains("is a AzureGovernment file, but --cloud is public"))
    }

    /// What a download refuses, an import refuses, and nothing in the cache changes.
    @Test func badImportsAreRefusedAndStoreNothing() throws {
        let good = F.body(changeNumber: 9)
        var truncated = good
        truncated.removeLast(40)
        let (dir, cache) = try Self.scratch([
            "ServiceTags_Public_20251028.json": good,
            "ServiceTags_Public_20251029.json": truncated,
            "ServiceTags_Public_20251030.json": F.body(changeNumber: 3),
            "ServiceTags_Public_20261231.json": F.body(changeNumber: 10),
            "ServiceTags_China_20251029.json": F.body(),
            "tags.json": good,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let first = try F.stag(["fetch", "--import", path("ServiceTags_Public_20251028.json"), "--dir", cache.path], environment: Self.today)
        #expect(first.status == 0, "\(first.stderr)")
        let before = F.snapshot(cache)
        let cases: [([String], String)] = [
            (["--import", path("ServiceTags_Public_20251029.json")], "unexpected end of input (truncated file?)"),
            (["--import", path("ServiceTags_Public_20251030.json")], "changeNumber 3 is lower than 9"),
            (["--import", path("ServiceTags_Public_20261231.json")], "more than 14 days after today"),
            (["--import", path("ServiceTags_China_20251029.json")], "the file is for cloud \"Public\", not \"China\""),
            (["--import", path("tags.json")], "--import needs a file named ServiceTags_<Cloud>_YYYYMMDD.json"),
            (["--import", path("ServiceTags_Public_20251101.json")], "cannot open it"),
            (["--import", path("ServiceTags_Public_20251028.json"), "--url", "https://example.com/ServiceTags_Public_20251028.json"],
             "--import stores a local file; --url applies to downloads"),
            (["--url", "file://" + path("ServiceTags_Public_20251028.json")], "a local file is stored with --import FILE, not --url"),
        ]
        for (arguments, message) in cases {
            let run = try F.stag(["fetch"] + arguments + ["--dir", cache.path], environment: Self.today)
            #expect(run.status == 2 && run.stdout.isEmpty, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(F.snapshot(cache) == before, "\(arguments) changed the cache")
        }
    }
}

import Foundation
import Testing

/// `stag diff` end to end: the built binary on the hand-made files in `Fixtures/diff/` (documentation
/// and private prefixes only). Expected answers are written out by hand from those files.
@Suite struct DiffCLITests {
    typealias CLI = DiffCLI

    @Test func exitCodesFollowDiff() throws {
        let differ = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("new.json")])
        #expect(differ.status == 1)
        let same = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("old.json")])
        #expect(same.status == 0 && same.stdout.contains("No differences."))
        let missing = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("no-such-file.json")])
        #expect(missing.status == 2 && missing.stdout.isEmpty && !missing.stderr.isEmpty)
        let malformed = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("truncated.json")])
        #expect(malformed.status == 2 && malformed.stdout.isEmpty)
    }

    @Test func aRenumberedFileAloneIsNoDifferenceButIsMentioned() throws {
        let r = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("old-renumbered.json")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("No differences."))
        #expect(r.stdout.contains("top-level changeNumber changed (10 -> 12)"))
    }

    @Test func jsonFollowsTheDocumentedSchema() throws {
        let r = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("new.json"), "--json"])
        #expect(r.status == 1)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let old = try #require(root["old"] as? [String: Any]), new = try #require(root["new"] as? [String: Any])
        #expect(old["cloud"] as? String == "Public" && old["changeNumber"] as? Int == 10)
        #expect(old["file"] as? String == CLI.fixture("old.json") && new["changeNumber"] as? Int == 11)
        #expect(root["semantic"] as? Bool == false)
        let summary = try #require(DiffCLI.tagAndPrefixCounts(root["summary"]))
        #expect(summary == ["tagsAdded": 1, "tagsRemoved": 1, "tagsChanged": 3, "prefixesAdded": 6, "prefixesRemoved": 3])

        let tags = try #require(root["tags"] as? [[String: Any]])
        #expect(tags.map { $0["name"] as? String } == ["AzureCloud", "AzureCloud.westeurope", "Sql", "Storage.EastUS", "Storage.WestEurope"])
        func entry(_ name: String) -> [String: Any] { tags.first { $0["name"] as? String == name } ?? [:] }
        #expect(Set(tags.flatMap { $0.keys }) == ["name", "status", "changeNumber", "added", "removed", "metadata"])

        let cloud = entry("AzureCloud")
        #expect(cloud["status"] as? String == "changed" && cloud["changeNumber"] as? [Int] == [5, 6])
        #expect(cloud["added"] as? [String] == ["10.1.0.0/16", "198.51.100.0/25"])
        #expect(cloud["removed"] as? [String] == ["198.51.100.0/24"])
        #expect((cloud["metadata"] as? [String: Any])?.isEmpty == true)

        let westeurope = entry("AzureCloud.westeurope")
        #expect(westeurope["added"] as? [String] == ["2001:db8:2::/48"] && westeurope["removed"] as? [String] == [])
        let features = (westeurope["metadata"] as? [String: Any])?["networkFeatures"] as? [[String]]
        #expect(features == [["API", "NSG"], ["API", "NSG", "FW"]])

        let sql = entry("Sql"), storage = entry("Storage.EastUS")
        #expect(sql["status"] as? String == "removed" && sql["removed"] as? [String] == ["192.0.2.128/25"])
        let sqlNumbers = try #require(sql["changeNumber"] as? [Any])
        #expect(sqlNumbers.first as? Int == 1 && sqlNumbers.last is NSNull)
        #expect(storage["status"] as? String == "added" && storage["added"] as? [String] == ["198.51.100.128/25"])
        #expect((storage["changeNumber"] as? [Any])?.first is NSNull)

        let split = entry("Storage.WestEurope")
        #expect(split["added"] as? [String] == ["203.0.113.128/27", "203.0.113.160/27"])
        #expect(split["removed"] as? [String] == ["203.0.113.128/26"])
    }

    @Test func semanticJSONListsCoverageChangesOnly() throws {
        let r = try CLI.run(["diff", "--semantic", "--json", CLI.fixture("old.json"), CLI.fixture("new.json")])
        #expect(r.status == 1)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(root["semantic"] as? Bool == true)
        let summary = try #require(DiffCLI.tagAndPrefixCounts(root["summary"]))
        #expect(summary == ["tagsAdded": 1, "tagsRemoved": 1, "tagsChanged": 2, "prefixesAdded": 3, "prefixesRemoved": 2,
                            "tagsReexpressed": 1])
        let tags = try #require(root["tags"] as? [[String: Any]])
        #expect(tags.map { $0["name"] as? String } == ["AzureCloud", "AzureCloud.westeurope", "Sql", "Storage.EastUS"])
        #expect(tags[0]["added"] as? [String] == ["10.1.0.0/16"] && tags[0]["removed"] as? [String] == ["198.51.100.128/25"])

        let text = try CLI.run(["diff", "--semantic", CLI.fixture("old.json"), CLI.fixture("new.json")])
        #expect(text.stdout.contains("Storage.WestEurope: re-expressed, no coverage change"))
        let markdown = try CLI.run(["diff", "--semantic", "--format", "markdown", CLI.fixture("old.json"), CLI.fixture("new.json")])
        #expect(markdown.stdout.contains("| `Storage.WestEurope` | re-expressed, no coverage change |"))
    }

    @Test func optionsAndArgumentsMayComeInAnyOrder() throws {
        let (old, new) = (CLI.fixture("old.json"), CLI.fixture("new.json"))
        let orders = [
            ["diff", "--json", old, new, "--tag", "Storage.*"],
            ["diff", old, new, "--json", "--tag=Storage.*"],
            ["diff", old, "--tag", "Storage.*", "--json", new],
            ["diff", "--tag", "Storage.*", "--format", "json", "--", old, new],
        ]
        let results = try orders.map { try CLI.run($0) }
        #expect(results.allSatisfy { $0.status == 1 && $0.stdout == results[0].stdout })
        #expect(results[0].stdout.contains("\"Storage.EastUS\"") && !results[0].stdout.contains("\"AzureCloud\""))
    }

    @Test func outputFileIsWrittenAtomically() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/weekly-report.md"

        // A failed run (NEW malformed) leaves no file, and no temporary file either.
        let failed = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("truncated.json"), "--format", "markdown", "-o", target])
        #expect(failed.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)

        let r = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("new.json"), "--format", "markdown", "-o", target])
        #expect(r.status == 1 && r.stdout.isEmpty)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        let direct = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("new.json"), "--format", "markdown"])
        #expect(written == direct.stdout && written.hasPrefix("## Service tags diff"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["weekly-report.md"])

        // A failed run over an existing file leaves it as it was.
        let again = try CLI.run(["diff", CLI.fixture("old.json"), CLI.fixture("truncated.json"), "-o", target])
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["weekly-report.md"])
    }

    @Test func tagSelectionErrorsAndCloudMismatch() throws {
        let (old, new) = (CLI.fixture("old.json"), CLI.fixture("new.json"))
        let typo = try CLI.run(["diff", old, new, "--tag", "AzureCloud.westeuropa"])
        #expect(typo.status == 2 && typo.stderr.contains("'AzureCloud.westeurope'"))
        let glob = try CLI.run(["diff", old, new, "--tag", "Nothing.*"])
        #expect(glob.status == 2 && glob.stderr.contains("Nothing.*"))

        let mismatch = try CLI.run(["diff", CLI.fixture("government.json"), old])
        #expect(mismatch.status == 2 && mismatch.stderr.contains("--allow-cloud-mismatch"))
        let allowed = try CLI.run(["diff", CLI.fixture("government.json"), old, "--allow-cloud-mismatch"])
        #expect(allowed.status == 0 && allowed.stderr.contains("warning"))
    }

    @Test func anomaliesAreWarnedOnStandardError() throws {
        // Swapped files: every changeNumber goes down.
        let r = try CLI.run(["diff", CLI.fixture("new.json"), CLI.fixture("old.json"), "--json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("stag: warning: diff: NEW has a lower changeNumber than OLD (11 -> 10)"))
        #expect(r.stderr.contains("tag AzureCloud: changeNumber went down (6 -> 5)"))
        #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil) // stdout stays pure JSON
    }

    @Test func standardInputCanBeOneSide() throws {
        let r = try CLI.run(["diff", "-", CLI.fixture("new.json"), "--json"], stdin: CLI.fixture("old.json"))
        #expect(r.status == 1 && r.stdout.contains("\"file\":\"<stdin>\""))
    }

    // Usage errors are found before any file is read, so these run with or without the reader.

    @Test func unknownOptionsAndBadUsageExitTwoWithOneLine() throws {
        let (old, new) = (CLI.fixture("old.json"), CLI.fixture("new.json"))
        for args in [["diff", old, new, "--semantik"], ["diff", old], ["diff", old, new, "extra"], ["diff", "-", "-"],
                     ["diff", old, new, "--json", "--format", "markdown"], ["diff", old, new, "--format", "nftables"],
                     ["diff", old, new, "--format", "csv"], ["diff", old, new, "--aggregate"], ["diff", old, new, "--format", "nft", "--semantic"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(args)")
            #expect(r.stderr.hasPrefix("stag: diff: ") && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        let option = try CLI.run(["diff", old, new, "--semantik"])
        #expect(option.stderr.contains("unknown option '--semantik'") && option.stderr.contains("--semantic"))
        let format = try CLI.run(["diff", old, new, "--format", "nftables"])
        #expect(format.stderr.contains("unknown format 'nftables'") && format.stderr.contains("text, json, markdown, nft"))
    }

    @Test func helpDocumentsTheCommand() throws {
        let r = try CLI.run(["diff", "--help"])
        #expect(r.status == 0)
        for word in ["--semantic", "--tag", "--format", "-o, --output", "--allow-cloud-mismatch", "re-expressed", "\"metadata\""] {
            #expect(r.stdout.contains(word), "\(word)")
        }
        let listed = try CLI.run(["--help"])
        #expect(listed.stdout.contains("  diff "))
    }
}

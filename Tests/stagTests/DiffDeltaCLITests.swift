import Foundation
import Testing

/// `stag diff OLD NEW --format DELTA` end to end: the built binary on the hand-made pairs in
/// `Fixtures/diff/` (documentation prefixes only). This file: the hand-written goldens, exit codes,
/// usage errors and `-o`. Applying the deltas (target models, the kernel, the real weekly files) is
/// in `DiffDeltaCLITests+Apply.swift`.
@Suite struct DiffDeltaCLITests {
    typealias CLI = DiffCLI

    static let deltaFormats = ["nft", "ipset", "powershell", "fortigate", "cisco-ios", "cisco-asa", "juniper", "mikrotik", "aws-prefix-list"]
    static let fullOnlyFormats = ["txt", "csv", "azure-ipgroup", "paloalto-edl", "terraform"]

    /// `Fixtures/diff/delta/ID.golden`, written by hand from export-formats.md and the formats'
    /// documented syntax for the tiny pair (see `Fixtures/diff/README.md`).
    static func golden(_ id: String) throws -> String {
        try String(contentsOfFile: StagCLI.fixture("diff/delta/\(id).golden"), encoding: .utf8)
    }

    @Test(arguments: deltaFormats)
    func tinyPairGivesTheHandWrittenDelta(_ id: String) throws {
        let r = try CLI.run(["diff", CLI.fixture("tiny-old.json"), CLI.fixture("tiny-new.json"), "--format", id])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let expected = try Self.golden(id)
        #expect(r.stdout == expected)
        if r.stdout != expected {
            // Show the first differing line: the whole scripts are long.
            let a = r.stdout.split(separator: "\n", omittingEmptySubsequences: false), b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? (a.count != b.count ? min(a.count, b.count) : nil) {
                Issue.record("\(id) line \(i + 1): got '\(i < a.count ? a[i] : "<end>")', expected '\(i < b.count ? b[i] : "<end>")'")
            }
        }
    }

    @Test(arguments: deltaFormats)
    func nothingToChangePrintsNothingAndExitsZero(_ id: String) throws {
        let (old, new) = (CLI.fixture("delta-old.json"), CLI.fixture("delta-new.json"))
        // The same file twice; an unchanged tag; a tag whose metadata and change number changed but
        // not its prefixes (a difference for the report, nothing for a firewall); a tag re-expressed
        // (a /47 split into its /48s) when both sides are aggregated.
        for args in [["diff", old, old], ["diff", old, new, "--tag", "Delta.Same"], ["diff", old, new, "--tag", "Theta.MetadataOnly"],
                     ["diff", old, new, "--tag", "Eta.Reexpressed", "--aggregate"], ["diff", old, new, "--tag", "Eta.Reexpressed", "--ipv4"]] {
            let r = try CLI.run(args + ["--format", id])
            #expect(r.status == 0 && r.stdout.isEmpty, "\(args): \(r.status) \(r.stdout)")
        }
        // The same selections that do change something exit 1.
        #expect(try CLI.run(["diff", old, new, "--tag", "Eta.Reexpressed", "--format", id]).status == 1)
        #expect(try CLI.run(["diff", old, new, "--tag", "Theta.MetadataOnly"]).status == 1, "the text report counts metadata")
    }

    @Test func diffWarningsGoToStandardErrorAndTheDeltaToStandardOutput() throws {
        let r = try CLI.run(["diff", CLI.fixture("delta-old.json"), CLI.fixture("delta-new.json"), "--format", "nft"])
        #expect(r.status == 1)
        #expect(r.stderr == "stag: warning: diff: tag Theta.MetadataOnly: changeNumber changed (1 -> 2) but its prefixes did not\n")
        #expect(!r.stdout.contains("warning") && !r.stdout.contains("Theta"))
        #expect(r.stdout.split(separator: "\n").allSatisfy { line in
            ["#", "add ", "delete ", "\t", "}", "table ", "flush "].contains { line.hasPrefix($0) }
        }, "only nft statements and comments: \(r.stdout)")
    }

    // Usage errors are found before any file is read.
    @Test func usageErrorsExitTwoBeforeReadingData() throws {
        let (old, new) = ("/nonexistent/old.json", "/nonexistent/new.json")
        var cases: [([String], String)] = Self.fullOnlyFormats.map {
            (["--format", $0], "\($0) has no incremental syntax, so it cannot express a diff; delta formats: " + Self.deltaFormats.joined(separator: ", "))
        }
        cases += [
            (["--format", "nft", "--semantic"], "--semantic does not apply to --format nft"),
            (["--format", "nft", "--ipv4", "--ipv6"], "--ipv4 and --ipv6 exclude each other"),
            (["--format", "ipset", "--max-entries", "0"], "--max-entries needs a whole number of at least 1, got '0'"),
            (["--format", "nft", "--name", "1x"], "name '1x' is not valid for nft"),
            (["--format", "ipset", "--name", String(repeating: "a", count: 27)], "is not valid for ipset"),
            (["--aggregate"], "--aggregate applies only with a delta --format (nft, ipset,"),
            (["--format", "markdown", "--exclude", "Sql"], "--exclude applies only with a delta --format"),
            (["--json", "--format", "nft"], "--json and --format nft ask for different outputs"),
            (["--format", "nftables"], "unknown format 'nftables'"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(["diff", old, new] + args)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(args)")
            #expect(r.stderr.hasPrefix("stag: diff: ") && r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1,
                    "\(args): \(r.stderr)")
        }
    }

    @Test func dataDependentErrorsExitTwo() throws {
        let (old, new) = (CLI.fixture("delta-old.json"), CLI.fixture("delta-new.json"))
        let glob = try CLI.run(["diff", old, new, "--format", "nft", "--tag", "Nope.*"])
        #expect(glob.status == 2 && glob.stdout.isEmpty && glob.stderr.contains("no tag in OLD or NEW matches 'Nope.*'"))
        let exclude = try CLI.run(["diff", old, new, "--format", "nft", "--exclude", "Delta.Sam"])
        #expect(exclude.status == 2 && exclude.stderr.contains("unknown tag 'Delta.Sam' (in neither OLD nor NEW); did you mean 'Delta.Same'?"))
        let one = try CLI.run(["diff", old, new, "--format", "nft", "--name", "fw", "--tag", "Alpha"])
        #expect(one.status == 1 && one.stdout.contains("add element inet azst fw_v6 {") && !one.stdout.contains("Alpha_v"))
    }

    @Test func outputFileIsWrittenAtomicallyOrNotAtAll() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (old, new) = (CLI.fixture("tiny-old.json"), CLI.fixture("tiny-new.json"))
        let target = dir + "/delta.nft"
        let written = try CLI.run(["diff", old, new, "--format", "nft", "-o", target])
        #expect(written.status == 1 && written.stdout.isEmpty)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == (try Self.golden("nft")))
        // A failing run (after the files were read) keeps the old file and leaves no temporary file.
        let failed = try CLI.run(["diff", CLI.fixture("delta-old.json"), CLI.fixture("delta-new.json"), "--format", "nft", "--tag", "Nope.*", "-o", target])
        #expect(failed.status == 2)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == (try Self.golden("nft")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["delta.nft"])
        // Nothing to change: an empty file, exit 0.
        let empty = try CLI.run(["diff", old, old, "--format", "nft", "-o", target])
        let emptied = try String(contentsOfFile: target, encoding: .utf8)
        #expect(empty.status == 0 && emptied.isEmpty)
    }

    @Test func helpDocumentsDeltaFormats() throws {
        let r = try CLI.run(["diff", "--help"])
        #expect(r.status == 0)
        for word in ["--format DELTA", Self.deltaFormats.joined(separator: ", "), "--exclude", "--ipv4", "--aggregate", "--max-entries",
                     "--name", "--semantic does not apply", "nft and ipset get its full list", "empty its sets"] {
            #expect(r.stdout.contains(word), "\(word)")
        }
    }
}

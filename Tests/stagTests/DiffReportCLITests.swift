import Foundation
import Testing

/// `stag diff` as a nightly report: address counts, anomalies (stderr, text, markdown, JSON),
/// `--strict`, and the "are the files swapped?" hint. Expected answers are written out by hand
/// from the files in `Fixtures/diff/` (see its README).
@Suite struct DiffReportCLITests {
    typealias CLI = DiffCLI
    static let old = CLI.fixture("anomaly-old.json"), new = CLI.fixture("anomaly-new.json")
    static let ipv6Gained = "1208925819614629174706176" // 2^80: one /48

    @Test func jsonCarriesAddressCountsAndAnomalies() throws {
        for mode in [[], ["--semantic"]] {
            let r = try CLI.run(["diff", Self.old, Self.new, "--json"] + mode)
            #expect(r.status == 1)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let summary = try #require(root["summary"] as? [String: Any])
            #expect(summary["ipv4AddressesAdded"] as? Int == 128 && summary["ipv4AddressesRemoved"] as? Int == 128)
            #expect(summary["ipv6AddressesAdded"] as? String == Self.ipv6Gained && summary["ipv6AddressesRemoved"] as? String == "0")
            let anomalies = try #require(root["anomalies"] as? [[String: Any]])
            #expect(anomalies.map { $0["kind"] as? String } == ["changedWithoutChangeNumber", "changeNumberWithoutChange",
                                                               "changeNumberDecreased", "changedWithoutChangeNumber"])
            #expect(anomalies.map { $0["tag"] as? String } == [nil, "Idle", "Lower", "Quiet"])
            #expect(anomalies[0]["tag"] is NSNull)
            #expect(anomalies[2]["message"] as? String == "tag Lower: changeNumber went down (9 -> 8)")
            #expect(r.stderr.contains("stag: warning: diff: prefixes changed but the file's changeNumber did not (30)"))
        }
        // A clean pair still has the array, empty.
        let clean = try CLI.run(["diff", CLI.fixture("tiny-old.json"), CLI.fixture("tiny-new.json"), "--json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])
        #expect((root["anomalies"] as? [Any])?.isEmpty == true && clean.stderr.isEmpty)
        // tiny: +192.0.2.128/26 -198.51.100.0/24 -203.0.113.128/25 (Demo.Gone's /24 shrinks to Demo.New's /25).
        let s = try #require(root["summary"] as? [String: Any])
        #expect(s["ipv4AddressesAdded"] as? Int == 64 && s["ipv4AddressesRemoved"] as? Int == 384)
        #expect(s["ipv6AddressesAdded"] as? String == Self.ipv6Gained)
    }

    @Test func textAndMarkdownShowCountsAndAnomalies() throws {
        let text = try CLI.run(["diff", Self.old, Self.new])
        #expect(text.stdout.contains("Addresses (union of the selected tags): IPv4 +128 -128, IPv6 +\(Self.ipv6Gained) -0."))
        #expect(text.stdout.contains("Warning: tag Quiet: prefixes changed but changeNumber did not (4)"))
        let md = try CLI.run(["diff", Self.old, Self.new, "--format", "markdown"])
        #expect(md.stdout.contains("| IPv4 | 128 | 128 |") && md.stdout.contains("| IPv6 | \(Self.ipv6Gained) | 0 |"))
        #expect(md.stdout.contains("- changeNumberDecreased: `tag Lower: changeNumber went down (9 -> 8)`"))
    }

    @Test func strictExitsTwoAfterWritingTheReport() throws {
        let plain = try CLI.run(["diff", Self.old, Self.new, "--json"])
        let strict = try CLI.run(["diff", Self.old, Self.new, "--json", "--strict"])
        #expect(strict.status == 2 && strict.stdout == plain.stdout)
        #expect(strict.stderr.contains("stag: diff: --strict: 4 anomalies in the publication"))

        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/report.json"
        let written = try CLI.run(["diff", Self.old, Self.new, "--json", "--strict", "-o", target])
        #expect(written.status == 2 && written.stdout.isEmpty)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == plain.stdout)

        // No anomaly: --strict changes nothing.
        let clean = try CLI.run(["diff", CLI.fixture("tiny-old.json"), CLI.fixture("tiny-new.json"), "--strict"])
        #expect(clean.status == 1)
    }

    @Test func theSwappedHintNeedsReversedDatesInTheNames() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let early = dir + "/ServiceTags_Public_20251013.json", late = dir + "/ServiceTags_Public_20251028.json"
        // tiny-new (changeNumber 8) under the later date, tiny-old (7) under the earlier one.
        try FileManager.default.copyItem(atPath: CLI.fixture("tiny-old.json"), toPath: early)
        try FileManager.default.copyItem(atPath: CLI.fixture("tiny-new.json"), toPath: late)
        let swapped = try CLI.run(["diff", late, early])
        #expect(swapped.stderr.contains("NEW has a lower changeNumber than OLD (8 -> 7); are the files swapped?"))
        // Names in order but numbers not, or names without dates: lower, but no hint.
        for (a, b) in [(CLI.fixture("tiny-new.json"), CLI.fixture("tiny-old.json"))] {
            let r = try CLI.run(["diff", a, b, "--json"])
            #expect(r.stderr.contains("NEW has a lower changeNumber than OLD (8 -> 7)") && !r.stderr.contains("swapped"))
        }
        try FileManager.default.removeItem(atPath: early)
        try FileManager.default.removeItem(atPath: late)
        try FileManager.default.copyItem(atPath: CLI.fixture("tiny-new.json"), toPath: early)
        try FileManager.default.copyItem(atPath: CLI.fixture("tiny-old.json"), toPath: late)
        let older = try CLI.run(["diff", early, late])
        #expect(older.stderr.contains("(8 -> 7)") && !older.stderr.contains("swapped"))
    }
}

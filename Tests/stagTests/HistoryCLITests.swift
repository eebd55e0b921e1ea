import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `stag history` end to end (`cli.md`, "stag history"): JSON lines against `ReferenceHistory`
/// (linear scan per file, run-length grouping; `Set` differences per tag), text for people, exit
/// codes, and the archive faults named in the message. Real archives when `../shared/data/history`
/// is there.
@Suite struct HistoryCLITests {
    static func history(_ arguments: [String], stdin: StagCLI.Input = .none, environment: [String: String] = [:]) throws -> StagCLI.Result {
        try StagCLI.run(["history"] + arguments, stdin: stdin, environment: environment)
    }

    @Test func jsonLinesMatchTheReference() throws {
        let (files, _) = HistorySamples.archive(weeks: 6, seed: 3)
        let (dir, dates) = try HistoryCLI.write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let queries = HistorySamples.queries(files, count: 60, seed: 4)
        // Addresses as text; the whole prefixes among the queries as prefixes.
        let inputs = queries.map { q in q.length == (q.isIPv4 ? 32 : 128) ? String(q.description.split(separator: "/")[0]) : q.description }
        let r = try Self.history(["--archive", dir.path, "--json", "-"], stdin: .bytes(Data((inputs.joined(separator: "\n") + "\n").utf8)))
        #expect(r.stderr.isEmpty)
        let answers = files.map { ReferenceHistory.linearAnswers($0, queries) }
        let want = zip(inputs, ReferenceHistory.histories(answers, queries: queries.count)).map { HistoryCLI.expected($0, $1, dates: dates) }
        let got = try r.stdout.split(separator: "\n").map(HistoryCLI.decodeAddress)
        HistoryCLI.expectSame(got, want)
        #expect(r.status == (want.contains { $0.tags.isEmpty } ? 1 : 0))
    }

    @Test func tagWeeksMatchSetDifferences() throws {
        let (files, gapTag) = HistorySamples.archive(weeks: 6, seed: 7)
        let (dir, dates) = try HistoryCLI.write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.history(["--archive", dir.path, "--json", "--tag", "AzureCloud", "--tag", gapTag])
        #expect(r.status == 0 && r.stderr.isEmpty)
        let want = [gapTag, "AzureCloud"].sorted(by: CLITestData.byteOrder).map { HistoryCLI.expected(tag: $0, ReferenceHistory.weeks(of: $0, in: files), dates: dates) }
        #expect(try r.stdout.split(separator: "\n").map(HistoryCLI.decodeTag) == want)
    }

    /// A three-week archive small enough to write the answers by hand.
    static let tiny: [ServiceTagsFile] = {
        func file(_ tags: [ServiceTag]) -> ServiceTagsFile { ServiceTagsFile(changeNumber: 1, cloud: "Public", tags: tags) }
        func tag(_ name: String, _ cn: Int, _ v4: [String]) -> ServiceTag {
            ServiceTag(name: name, id: name, changeNumber: cn, ipv4: v4.map { text in
                let parts = text.split(separator: "/")
                return IPv4Prefix(address: try! IPv4Address(parsing: parts[0]), length: Int(parts[1])!)!
            })
        }
        return [
            file([tag("AzureCloud", 1, ["20.0.0.0/8"]), tag("AzureCloud.westeurope", 1, ["20.61.0.0/16"])]),
            file([tag("AzureCloud", 2, ["20.0.0.0/8", "21.0.0.0/8"]), tag("AzureCloud.westeurope", 2, ["20.61.0.0/17"])]),
            file([tag("AzureCloud", 3, ["20.0.0.0/8", "21.0.0.0/8"])]),
        ]
    }()

    @Test func exactShapeAndTextOfATinyArchive() throws {
        let (dir, _) = try HistoryCLI.write(Self.tiny)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try Self.history(["--archive", dir.path, "--json", "20.61.1.2", "21.0.0.1"])
        #expect(json.status == 0)
        #expect(json.stdout == """
        {"address":"20.61.1.2","files":3,"from":"2024-04-15","to":"2024-04-29","tags":[{"name":"AzureCloud","intervals":[{"from":"2024-04-15","to":"2024-04-29","prefix":"20.0.0.0/8"}]},{"name":"AzureCloud.westeurope","intervals":[{"from":"2024-04-15","to":"2024-04-15","prefix":"20.61.0.0/16"},{"from":"2024-04-22","to":"2024-04-22","prefix":"20.61.0.0/17"}]}]}
        {"address":"21.0.0.1","files":3,"from":"2024-04-15","to":"2024-04-29","tags":[{"name":"AzureCloud","intervals":[{"from":"2024-04-22","to":"2024-04-29","prefix":"21.0.0.0/8"}]}]}

        """)
        let text = try Self.history(["--archive", dir.path, "20.61.1.2", "--tag", "AzureCloud.*"])
        #expect(text.status == 0)
        #expect(text.stdout == """
        20.61.1.2
          AzureCloud.westeurope  20.61.0.0/16  2024-04-15 → 2024-04-15
          AzureCloud.westeurope  20.61.0.0/17  2024-04-22 → 2024-04-22
          not in any selected tag since 2024-04-29

        """)
        let never = try Self.history(["--archive", dir.path, "192.0.2.1"])
        #expect(never.status == 1 && never.stdout == "192.0.2.1\n  not in any tag in 3 files, 2024-04-15 → 2024-04-29\n")
        let tagText = try Self.history(["--archive", dir.path, "--tag", "AzureCloud.westeurope"])
        #expect(tagText.status == 0)
        #expect(tagText.stdout == """
        AzureCloud.westeurope
          2024-04-15  changeNumber 1  1 IPv4  0 IPv6
          2024-04-22  changeNumber 2  1 IPv4  0 IPv6  +1 -1
              + 20.61.0.0/17
              - 20.61.0.0/16
          2024-04-29  absent                          +0 -1
              - 20.61.0.0/17

        """)
        let tags = try Self.history(["--archive", dir.path, "--json", "--tag", "AzureCloud.westeurope"])
        #expect(tags.stdout == #"{"tag":"AzureCloud.westeurope","files":3,"weeks":["#
            + #"{"date":"2024-04-15","present":true,"changeNumber":1,"ipv4":1,"ipv6":0,"added":[],"removed":[]},"#
            + #"{"date":"2024-04-22","present":true,"changeNumber":2,"ipv4":1,"ipv6":0,"added":["20.61.0.0/17"],"removed":["20.61.0.0/16"]},"#
            + #"{"date":"2024-04-29","present":false,"changeNumber":null,"ipv4":0,"ipv6":0,"added":[],"removed":["20.61.0.0/17"]}]}"# + "\n")
    }

    @Test func invalidLinesAreAnsweredInPlaceAndExitTwo() throws {
        let (dir, _) = try HistoryCLI.write(Self.tiny)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.history(["--archive", dir.path, "--json", "-"], stdin: .bytes(Data("# comment\n20.1.1.1\n\nnot-an-address\n::ffff:21.0.0.1\n".utf8)))
        #expect(r.status == 2)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let bad = try CLITestData.json(lines[1])
        #expect(bad["address"] as? String == "not-an-address" && bad["error"] is String && bad.count == 2)
        #expect(try HistoryCLI.decodeAddress(lines[2]).tags.map { $0[0] } == ["AzureCloud"])
        let text = try Self.history(["--archive", dir.path, "20.1.1.1", "999.1.1.1"])
        #expect(text.status == 2 && text.stderr.hasPrefix("stag: history: invalid address"))
    }

    /// Every archive fault is exit 2 with a message naming the files.
    @Test func archiveFaultsNameTheFiles() throws {
        let (dir, _) = try HistoryCLI.write(Array(Self.tiny.prefix(2)))
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: dir.appendingPathComponent("ServiceTags_Public_20240415.json"))
        func check(_ extra: String, contents: Data? = nil, _ expected: [String], arguments: [String] = ["20.1.1.1"]) throws {
            let path = dir.appendingPathComponent(extra)
            try (contents ?? bytes).write(to: path)
            defer { try? FileManager.default.removeItem(at: path) }
            let r = try Self.history(["--archive", dir.path] + arguments)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(extra)")
            for e in expected { #expect(r.stderr.contains(e), "\(extra): \(r.stderr)") }
        }
        try check("ServiceTags_AzureGovernment_20240506.json", ["more than one cloud", "public: ServiceTags_Public_20240415.json, ServiceTags_Public_20240422.json",
                                                                "usgov: ServiceTags_AzureGovernment_20240506.json"])
        try check("ServiceTags_Public.json", ["without a cloud and date", "ServiceTags_Public.json"])
        try check("ServiceTags_Public_20240415 (1).json", ["same date", "ServiceTags_Public_20240415 (1).json, ServiceTags_Public_20240415.json"])
        // The name says Public, the file says otherwise.
        let gov = Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"cloud\": \"Public\"", with: "\"cloud\": \"AzureGovernment\"").utf8)
        #expect(gov != bytes)
        try check("ServiceTags_Public_20240429.json", contents: gov, ["ServiceTags_Public_20240429.json says cloud 'AzureGovernment'"])
        try check("ServiceTags_Public_20240429.json", contents: Data("{".utf8), ["ServiceTags_Public_20240429.json"])
        try check("x.txt", ["unknown tag 'AzureClod' (in none of the", "did you mean 'AzureCloud'"], arguments: ["--tag", "AzureClod"])
        // --cloud takes one cloud out of a mixed directory.
        try bytes.write(to: dir.appendingPathComponent("ServiceTags_AzureGovernment_20240506.json"))
        let one = try Self.history(["--archive", dir.path, "--cloud", "public", "--json", "20.1.1.1"])
        let oneLine = try HistoryCLI.decodeAddress(one.stdout.dropLast())
        #expect(one.status == 0 && oneLine.files == 2)
        let empty = try StagCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try Self.history(["--archive", empty.path, "20.1.1.1"])
        #expect(none.status == 2 && none.stderr.contains("no weekly files"))
        let file = try Self.history(["--archive", dir.appendingPathComponent("ServiceTags_Public_20240415.json").path, "20.1.1.1"])
        #expect(file.status == 2 && file.stderr.contains("is a file but not a compiled history"))
        let usage = try Self.history(["--archive", dir.path])
        #expect(usage.status == 2 && usage.stderr.contains("expected one or more addresses"))
    }

    /// Without --archive, the files `stag fetch` stored (here put there by hand, no manifest).
    @Test func defaultArchiveIsTheFetchCache() throws {
        let (dir, _) = try HistoryCLI.write(Self.tiny)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.history(["--json", "21.0.0.1"], environment: ["STAG_CACHE_DIR": dir.path])
        #expect(r.status == 0)
        #expect(try HistoryCLI.decodeAddress(r.stdout.dropLast()).tags == [["AzureCloud", "2024-04-22 2024-04-29 21.0.0.0/8"]])
    }

    @Test func helpDescribesBothForms() throws {
        let r = try Self.history(["--help"])
        #expect(r.status == 0 && r.stdout.contains("stag history --tag NAME...") && r.stdout.contains("--archive DIR"))
    }
}

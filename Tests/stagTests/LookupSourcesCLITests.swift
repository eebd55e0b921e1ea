import Foundation
import Testing
import ServiceTagsTestSupport

/// `stag lookup --overlap` and `stag lookup` with several `--data` (`cli.md`, "stag lookup"):
/// overlaps against a slow per-tag reference computed here from an independent reading of the file,
/// and several files against one lookup per file with "cloud" added.
@Suite struct LookupSourcesCLITests {
    typealias D = CLITestData

    static func lookup(_ arguments: [String], stdin: StagCLI.Input = .none) throws -> StagCLI.Result {
        try StagCLI.run(["lookup"] + arguments, stdin: stdin)
    }

    @Test func overlapOnTheSmallFile() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.lookup(["--overlap", "--json", "--data", data, "192.0.2.0/24", "2001:db8::/47", "10.0.0.0/8"])
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").map { try? D.json($0) }
            func names(_ i: Int) -> [String] { ((lines[i]?["tags"] as? [[String: Any]]) ?? []).map { "\($0["name"]!)=\($0["overlap"]!)" } }
            // Storage: 192.0.2.0/26 + 192.0.2.64/27 = 96; IPv6 overlaps are decimal strings.
            #expect(names(0) == ["AzureCloud=256", "AzureCloud.westeurope=128", "Storage=96", "Storage.WestEurope=64"])
            #expect((lines[0]?["tags"] as? [[String: Any]])?.first?["overlap"] is NSNumber)
            #expect(names(1) == ["AzureCloud=2417851639229258349412352", "AzureCloud.westeurope=1208925819614629174706176",
                              "Storage=18446744073709551616", "Storage.WestEurope=18446744073709551616"])
            #expect((lines[1]?["tags"] as? [[String: Any]])?.first?["overlap"] is String)
            #expect(names(2).isEmpty)

            let text = try Self.lookup(["--overlap", "--data", data, "192.0.2.0/25"])
            #expect(text.stdout == """
            192.0.2.0/25
              AzureCloud             128  100%  -           -
              AzureCloud.westeurope  128  100%  westeurope  -
              Storage                96   75%   -           AzureStorage
              Storage.WestEurope     64   50%   WestEurope  AzureStorage

            """)
        }
    }

    @Test func severalFilesAddACloudColumnAndField() throws {
        try D.withSmallFile { data, dir in
            let gov = dir.appendingPathComponent("ServiceTags_AzureGovernment_20251028.json").path
            try Data(D.small.replacingOccurrences(of: #""cloud": "Public""#, with: #""cloud": "AzureGovernment""#).utf8)
                .write(to: URL(fileURLWithPath: gov))
            let r = try Self.lookup(["--data", data, "--data", gov, "198.51.100.200"])
            #expect(r.status == 0)
            #expect(r.stdout == """
            198.51.100.200
              Sql         Public           198.51.100.128/25  -  AzureSQL
              Sql         AzureGovernment  198.51.100.128/25  -  AzureSQL
              AzureCloud  Public           198.51.100.0/24    -  -
              AzureCloud  AzureGovernment  198.51.100.0/24    -  -

            """)
            let j = try Self.lookup(["--json", "--data", data, "--data", gov, "203.0.113.9"])
            #expect(j.stdout == #"{"address":"203.0.113.9","tags":["#
                + #"{"name":"AzureFrontDoor.Frontend","cloud":"Public","prefix":"203.0.113.0/24","region":"","systemService":"AzureFrontDoor","networkFeatures":["API","NSG"]},"#
                + #"{"name":"AzureFrontDoor.Frontend","cloud":"AzureGovernment","prefix":"203.0.113.0/24","region":"","systemService":"AzureFrontDoor","networkFeatures":["API","NSG"]}]}"#
                + "\n")
            // Standard input cannot be both the data and the addresses, nor two data files.
            let twice = try Self.lookup(["--data", "-", "--data", "-", "192.0.2.1"])
            #expect(twice.status == 2 && twice.stderr.contains("only once"))
        }
    }

    /// Per tag: the addresses its prefixes share with `query` (prefixes nest or are disjoint:
    /// merge the tag's prefixes by dropping nested ones, then sum the smaller of each nested pair).
    static func referenceOverlaps(_ file: D.File, _ query: String) -> [String: Decimal] {
        guard let q = D.Network(query) else { return [:] }
        var result: [String: Decimal] = [:]
        for tag in file.tags {
            let nets = tag.prefixes.compactMap(D.Network.init).filter { $0.bytes.count == q.bytes.count }
            let merged = nets.filter { n in !nets.contains { $0 != n && $0.contains(n) } }
            var seen: [D.Network] = [], total = Decimal(0)
            for n in merged where !seen.contains(n) {
                seen.append(n)
                if n.contains(q) { total += pow(Decimal(2), q.bytes.count * 8 - q.length) }
                else if q.contains(n) { total += pow(Decimal(2), n.bytes.count * 8 - n.length) }
            }
            if total != 0 { result[tag.name] = total }
        }
        return result
    }

    /// With several files (or `--overlap`) standard input is read in blocks, and each read's answers
    /// are flushed before the next read: a pipe written line by line gets each answer before it
    /// writes the next; bulk input with CRLF endings, comments and a last line without a newline
    /// answers as the same addresses given as arguments.
    @Test func severalFilesStreamFromStandardInput() throws {
        try D.withSmallFile { data, dir in
            let gov = dir.appendingPathComponent("ServiceTags_AzureGovernment_20251028.json").path
            try Data(D.small.replacingOccurrences(of: #""cloud": "Public""#, with: #""cloud": "AzureGovernment""#).utf8)
                .write(to: URL(fileURLWithPath: gov))
            let session = try StagCLI.Session(["lookup", "--data", data, "--data", gov, "-"])
            session.send("198.51.100.200")
            #expect(session.readLines(5).first == "198.51.100.200")
            session.send("# skipped")
            session.send("10.0.0.1")
            #expect(session.readLines(2) == ["10.0.0.1", "  (no service tag)"])
            let same = try Self.lookup(["--data", data, "--data", gov, "198.51.100.200", "10.0.0.1"])
            #expect(try session.finish() == same.status)
            let addresses = ["198.51.100.200", "10.0.0.1", "203.0.113.9", "2001:db8::1"]
            let bulk = "# header\r\n" + addresses.joined(separator: "\r\n\n") + "  "
            let piped = try Self.lookup(["--data", data, "--data", gov, "-"], stdin: .bytes(Data(bulk.utf8)))
            let given = try Self.lookup(["--data", data, "--data", gov] + addresses)
            #expect(piped.stdout == given.stdout && piped.status == given.status)
        }
    }

    @Test func overlapOnTheSampleAgreesWithASlowReference() throws {
        let file = try D.read(D.sample)
        var rng = SplitMix64(seed: 77)
        var queries: [String] = []
        for _ in 0 ..< 30 {
            let tag = rng.element(of: file.tags.filter { !$0.prefixes.isEmpty })
            let p = rng.element(of: tag.prefixes)
            let parts = p.split(separator: "/")
            let width = p.contains(":") ? 128 : 32
            queries.append("\(parts[0])/\(max(0, min(width, Int(parts[1])! + rng.int(in: -10 ... 3))))")
        }
        // A shortened prefix would keep host bits, which are not allowed: mask them.
        queries = queries.map(Self.masked)
        let r = try Self.lookup(["--overlap", "--json", "--data", D.sample] + queries)
        #expect(r.status == 0, "\(r.stderr)")
        for (line, query) in zip(r.stdout.split(separator: "\n"), queries) {
            let tags = (try D.json(line)["tags"] as? [[String: Any]]) ?? []
            var got: [String: Decimal] = [:]
            for t in tags { got[t["name"] as! String] = Decimal(string: "\(t["overlap"]!)") }
            #expect(got == Self.referenceOverlaps(file, query), "\(query)")
            let counts = tags.map { Decimal(string: "\($0["overlap"]!)")! }
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 }, "most overlap first: \(query)")
        }
    }

    /// `lookup --json` over several files equals one lookup per file, each tag with its file's
    /// cloud added, merged by name then file order.
    static func checkSeveral(_ files: [String], _ clouds: [String], _ addresses: [String]) throws {
        let all = try Self.lookup(["--json"] + files.flatMap { ["--data", $0] } + addresses)
        // The stream renders each combination of answers once (`RenderedAnswers`): given every
        // address twice, in text and JSON, it prints what the arguments print, twice.
        for json in [true, false] {
            let options = (json ? ["--json"] : []) + files.flatMap { ["--data", $0] }
            let given = json ? all : try Self.lookup(options + addresses)
            let streamed = try Self.lookup(options + ["-"], stdin: .bytes(Data((addresses + addresses).joined(separator: "\n").utf8)))
            #expect(streamed.stdout == given.stdout + given.stdout, "'-' answers as the arguments do (json: \(json))")
            #expect(streamed.status == given.status)
        }
        let single = try files.map { try Self.lookup(["--json", "--data", $0] + addresses).stdout.split(separator: "\n") }
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == addresses.count)
        for (i, line) in lines.enumerated() {
            var expected: [[String: Any]] = []
            for (f, perFile) in single.enumerated() {
                for var t in (try D.json(perFile[i])["tags"] as? [[String: Any]]) ?? [] {
                    t["cloud"] = clouds[f]
                    expected.append(t)
                }
            }
            expected = expected.enumerated().sorted { a, b in
                let na = a.element["name"] as! String, nb = b.element["name"] as! String
                return na != nb ? D.byteOrder(na, nb) : a.offset < b.offset
            }.map(\.element)
            let got = (try D.json(line)["tags"] as? [[String: Any]]) ?? []
            #expect(NSArray(array: got) == NSArray(array: expected), "\(addresses[i])")
        }
    }

    @Test func severalSyntheticFilesEqualPerFileLookups() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-several")
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        var files: [ServiceTagsFile] = []
        for (i, cloud) in ["Public", "AzureGovernment"].enumerated() {
            let synthetic = SyntheticServiceTags(.init(tags: 60, prefixes: 600, seed: UInt64(40 + i), cloud: cloud))
            let path = dir.appendingPathComponent("ServiceTags_\(cloud)_20251028.json").path
            try Data(synthetic.jsonBytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            files.append(synthetic.file)
        }
        var rng = SplitMix64(seed: 5)
        var addresses: [String] = []
        for _ in 0 ..< 40 {
            let tag = rng.element(of: rng.element(of: files).tags.filter { !$0.ipv4.isEmpty })
            let p = rng.element(of: tag.ipv4)
            addresses.append(IPv4Address(bits: p.address.bits | UInt32(truncatingIfNeeded: rng.next()) & ~p.mask).description)
        }
        // Prefixes as queries, IPv6, and IPv4-mapped IPv6 (answered as IPv4) too.
        for _ in 0 ..< 10 {
            let tag = rng.element(of: rng.element(of: files).tags.filter { !$0.ipv4.isEmpty && !$0.ipv6.isEmpty })
            addresses += [rng.element(of: tag.ipv4).description, rng.element(of: tag.ipv6).first.description]
        }
        addresses += ["::ffff:" + addresses[1], "10.0.0.0/8"]
        try Self.checkSeveral(paths, ["Public", "AzureGovernment"], addresses + ["10.0.0.1"])
        let text = try Self.lookup(paths.flatMap { ["--data", $0] } + [addresses[0]])
        #expect(text.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains(" Public ") || $0.contains(" AzureGovernment ") })
    }

    /// `text`'s address masked to its length, as canonical text.
    static func masked(_ text: String) -> String {
        let parts = text.split(separator: "/")
        let length = Int(parts[1])!
        switch IPAddress(String(parts[0]))! {
        case .v4(let a): return IPv4Prefix(masking: a, length: length).description
        case .v6(let a): return IPv6Prefix(masking: a, length: length).description
        }
    }

    static let publicName = "ServiceTags_Public_20251028.json", govName = "ServiceTags_AzureGovernment_20260720.json"

    @Test(.realData(publicName, govName), .tags(.realData))
    func publicAndGovernmentEqualPerFileLookups() throws {
        let files = [FixturePaths.realFile(Self.publicName)!, FixturePaths.realFile(Self.govName)!]
        try Self.checkSeveral(files, ["Public", "AzureGovernment"],
                              ["20.62.130.5", "52.127.0.1", "2603:1030:210::185", "13.72.49.126", "10.0.0.1", "20.140.0.1"])
    }
}

/// A compiled index answers `--overlap`, several `--data` and `suggest` byte for byte as its JSON does.
@Suite struct CompiledSourcesCLITests {
    @Test func compiledIndexAnswersAsItsJSON() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-compiled-sources")
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent("sample.stagidx").path
        let compile = try StagCLI.run(["compile", "--data", CLITestData.sample, "-o", index])
        #expect(compile.status == 0, "\(compile.stderr)")
        let file = try CLITestData.read(CLITestData.sample)
        var rng = SplitMix64(seed: 3)
        var inputs: [String] = []
        for _ in 0 ..< 12 {
            let p = rng.element(of: rng.element(of: file.tags.filter { !$0.prefixes.isEmpty }).prefixes)
            let width = p.contains(":") ? 128 : 32
            let length = max(0, min(width, Int(p.split(separator: "/")[1])! - rng.int(in: 0 ... 6)))
            inputs.append(LookupSourcesCLITests.masked("\(p.split(separator: "/")[0])/\(length)"))
        }
        for args in [["lookup", "--overlap", "--json"], ["lookup", "--overlap"], ["suggest", "--json"], ["suggest"]] {
            let json = try StagCLI.run(args + ["--data", CLITestData.sample] + inputs)
            let compiled = try StagCLI.run(args + ["--data", index] + inputs)
            #expect(json.status == compiled.status && json.stdout == compiled.stdout && !json.stdout.isEmpty, "\(args)")
        }
        let twoJSON = try StagCLI.run(["lookup", "--json", "--data", CLITestData.sample, "--data", CLITestData.sample] + inputs)
        let mixed = try StagCLI.run(["lookup", "--json", "--data", CLITestData.sample, "--data", index] + inputs)
        #expect(twoJSON.stdout == mixed.stdout && twoJSON.stdout.contains(#""cloud":"Public""#))
    }
}

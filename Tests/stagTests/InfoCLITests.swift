import Foundation
import ServiceTagsTestSupport
import Testing

/// `stag info` end to end (`cli.md`, "stag info"): counts written by hand for `CLITestData.small`,
/// counts of the sample against JSONSerialization, size and SHA-256 against coreutils'
/// `sha256sum`, for files and for standard input (hashed as it streams).
@Suite struct InfoCLITests {
    typealias D = CLITestData

    static func info(_ arguments: [String], stdin: StagCLI.Input = .none) throws -> StagCLI.Result {
        try StagCLI.run(["info"] + arguments, stdin: stdin)
    }

    @Test func textShowsCountsSizeAndHash() throws {
        try D.withSmallFile { data, _ in
            let size = try #require(try FileManager.default.attributesOfItem(atPath: data)[.size] as? Int)
            guard let sha = try D.sha256sum(data) else { return }
            let r = try Self.info(["--data", data])
            #expect(r.status == 0 && r.stderr.isEmpty)
            #expect(r.stdout == """
            file          \(data)
            size          \(size) bytes
            sha256        \(sha)
            cloud         Public
            changeNumber  42
            tags          6
            prefixes      14 entries, 12 unique (8 IPv4, 4 IPv6)

            """)
            let json = try Self.info(["--json", "--data", data])
            #expect(json.stdout == #"{"file":"\#(data)","size":\#(size),"sha256":"\#(sha)","cloud":"Public","changeNumber":42,"tags":6,"#
                + #""prefixes":{"entries":14,"unique":12,"ipv4":8,"ipv6":4}}"# + "\n")
        }
    }

    @Test func sampleCountsMatchAnIndependentReading() throws {
        let file = try D.read(D.sample)
        let all = file.tags.flatMap(\.prefixes)
        let r = try Self.info(["--data", D.sample, "--json"])
        #expect(r.status == 0)
        let root = try D.json(r.stdout)
        #expect(root["cloud"] as? String == file.cloud && root["changeNumber"] as? Int == file.changeNumber)
        #expect(root["tags"] as? Int == file.tags.count)
        let prefixes = try #require(root["prefixes"] as? [String: Int])
        // The sample's prefixes are canonical, so distinct strings are distinct prefixes.
        #expect(prefixes == ["entries": all.count, "unique": Set(all).count,
                             "ipv4": Set(all.filter { !$0.contains(":") }).count, "ipv6": Set(all.filter { $0.contains(":") }).count])
        #expect(prefixes["entries"] == 413, "Fixtures/README.md: 413 prefix entries")
        #expect(root["size"] as? Int == (try FileManager.default.attributesOfItem(atPath: D.sample)[.size] as? Int))
        if let sha = try D.sha256sum(D.sample) { #expect(root["sha256"] as? String == sha) }
    }

    /// `cat FILE | stag info --data -`: the same size and hash as `sha256sum FILE`, through a pipe,
    /// for a file larger than one read chunk (256 KiB) with trailing white space after the document.
    @Test func standardInputIsHashedAsItStreams() throws {
        let dir = try StagCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let synthetic = SyntheticServiceTags(.init(tags: 150, prefixes: 9_000, seed: 11))
        let bytes = Data(synthetic.jsonBytes) + Data("\n \n".utf8)
        #expect(bytes.count > 256 * 1024, "more than one read chunk")
        let path = dir.appendingPathComponent("big.json").path
        try bytes.write(to: URL(fileURLWithPath: path))
        guard let sha = try D.sha256sum(path) else { return }

        let piped = try Self.info(["--data", "-", "--json"], stdin: .bytes(bytes))
        #expect(piped.status == 0, "stderr: \(piped.stderr)")
        let root = try D.json(piped.stdout)
        #expect(root["file"] as? String == "<stdin>")
        #expect(root["size"] as? Int == bytes.count && root["sha256"] as? String == sha)
        #expect(root["tags"] as? Int == 150)
        let fromFile = try Self.info(["--data", path, "--json"])
        #expect(try D.json(fromFile.stdout)["sha256"] as? String == sha)
        #expect(piped.stdout == fromFile.stdout.replacingOccurrences(of: #""file":"\#(path)""#, with: #""file":"<stdin>""#))

        // STAG_DATA=- reads standard input too.
        let viaEnvironment = try StagCLI.run(["info", "--json"], stdin: .bytes(bytes), environment: ["STAG_DATA": "-"])
        #expect(viaEnvironment.stdout == piped.stdout)
    }

    @Test func brokenStandardInputIsAnError() throws {
        let small = Data(D.small.utf8)
        for cut in [0, 1, small.count / 2, small.count - 1] {
            let r = try Self.info(["--data", "-"], stdin: .bytes(small.prefix(cut)))
            #expect(r.status == 2 && !r.signaled && r.stdout.isEmpty, "cut at \(cut)")
            #expect(r.stderr.hasPrefix("stag: info: <stdin>:") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let extra = try Self.info(["--data", "-", "more"], stdin: .bytes(small))
        #expect(extra.status == 2 && extra.stderr.contains("unexpected argument 'more'"))
    }

    @Test(.realData("ServiceTags_Public_20251028.json"), .tags(.realData)) func realFilesHashLikeSha256sum() throws {
        let path = try #require(FixturePaths.realFile("ServiceTags_Public_20251028.json"))
        guard let sha = try D.sha256sum(path) else { return }
        let r = try StagCLI.run(["info", "--json", "--data", "-"], stdin: .file(path))
        #expect(r.status == 0)
        let root = try D.json(r.stdout)
        #expect(root["sha256"] as? String == sha)
        #expect(root["size"] as? Int == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    }
}

import Foundation
import ExportTargetModels
import Testing
import ServiceTags
import ServiceTagsTestSupport

/// `stag grep` on bytes (issue 9 parts 1, 2 and 4): the lines, counts, line numbers, file names
/// and `-o` addresses of every option combination against GNU grep run on a marked copy of the
/// input (each address the slow reference finds inside the tags wrapped in `@@`), `--with-tags` and
/// `--json` against `StreamReference`, and the worker-thread path against the single-threaded one.
@Suite struct GrepStreamTests {
    static let tags = try! ServiceTagsFile(readingFileAt: CLITestData.sample).tags
    static let selectedNames = ["AzureCloud", "Storage.WestEurope"]
    static var selected: Set<Int> { Set(tags.indices.filter { selectedNames.contains(tags[$0].name) }) }

    /// Seeded log lines with addresses in every form the extractor knows, inside and outside the
    /// tags, among timestamps, versions, hex words and ports; valid UTF-8, some CRLF, no `@`.
    static func log(seed: UInt64, lines: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let v4 = tags.flatMap(\.ipv4), v6 = tags.flatMap(\.ipv6)
        func inside4() -> String { let p = v4[rng.int(in: 0 ... v4.count - 1)]; return IPv4Address(bits: p.address.bits | (UInt32(truncatingIfNeeded: rng.next()) & ~p.mask)).description }
        func inside6() -> String {
            let p = v6[rng.int(in: 0 ... v6.count - 1)]
            return IPv6Address(bits: p.address.bits | (UInt128(rng.next()) << 64 | UInt128(rng.next())) & ~p.mask).description
        }
        func address() -> String {
            switch rng.int(in: 0 ... 11) {
            case 0 ... 3: return inside4()
            case 4: return IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())).description
            case 5: return inside4() + ":" + String(rng.int(in: 1 ... 65535))
            case 6: return "[" + inside6() + "]:443"
            case 7: return inside6()
            case 8: return "::ffff:" + inside4()
            case 9: return "from:" + inside4() + "."
            case 10: return ["12:34:56", "1.2.3", "0a1b", "deadbeef", "010.0.0.1", "300.1.1.1", "cafe::1"][rng.int(in: 0 ... 6)]
            default: return inside4().uppercased() + "," + inside6().uppercased()
            }
        }
        var out: [UInt8] = []
        for i in 0 ..< lines {
            var fields = ["2026-11-27T10:\(i % 60):\(i % 7)Z", "fw\(i % 3)", ["accept", "deny", "é", "\t"][rng.int(in: 0 ... 3)]]
            for _ in 0 ..< rng.int(in: 0 ... 4) { fields.append(["SRC=", "DST=", "", "to "][rng.int(in: 0 ... 3)] + address()) }
            if rng.chance(0.05) { fields.append(String(repeating: "9.9", count: rng.int(in: 100 ... 3000))) }
            out += Array(fields.joined(separator: " ").utf8)
            out += rng.chance(0.1) ? [0x0D, 0x0A] : [0x0A]
        }
        return out
    }

    /// `files` written to `dir` as given and, under `dir/marked`, with each selected address wrapped
    /// in `@@` (CR removed: stag prints lines without it).
    static func write(_ files: [String: [UInt8]], in dir: URL) throws {
        let marked = dir.appendingPathComponent("marked")
        try FileManager.default.createDirectory(at: marked, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
            var m: [UInt8] = []
            for line in StreamReference.lines(bytes) {
                let decoded = String(decoding: line, as: UTF8.self)
                var text = Array(decoded.utf8)
                for found in SlowAddressExtractor.addresses(in: decoded).reversed()
                where ReferenceTagTable.linear(tags, found.address).contains(where: { selected.contains($0.tag) }) {
                    text.insert(contentsOf: Array("@@".utf8), at: found.range.upperBound)
                    text.insert(contentsOf: Array("@@".utf8), at: found.range.lowerBound)
                }
                m += text + [0x0A]
            }
            try Data(m).write(to: marked.appendingPathComponent(name))
        }
    }

    static let gnuGrep = ["/usr/bin/grep", "/bin/grep"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let combinations: [[String]] = [
        [], ["-v"], ["-c"], ["-c", "-v"], ["-n"], ["-o"], ["-o", "-n"], ["-H"], ["-h"], ["-n", "-H"], ["-o", "-H", "-n"],
        ["-c", "-h"], ["-c", "-H"], ["-v", "-n"], ["-q"], ["-q", "-v"], ["-o", "-v"], ["-cn"], ["-on"],
    ]

    @Test(.enabled(if: gnuGrep != nil, "GNU grep is not installed"))
    func layoutEqualsGNUGrepOnMarkedInput() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-grep-layout")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write(["a.log": Self.log(seed: 1, lines: 1500), "b.log": Self.log(seed: 2, lines: 700), "none.log": Array("no address\n".utf8)], in: dir)
        let tagArgs = Self.selectedNames.flatMap { ["--tag", $0] }
        for files in [["a.log"], ["a.log", "none.log", "b.log"]] {
            for flags in Self.combinations {
                let stag = try StagCLI.run(["grep", "--data", CLITestData.sample] + tagArgs + flags + files, directory: dir.path)
                let pattern = flags.contains(where: { $0.contains("o") }) ? "@@[^@]*@@" : "@@"
                let gnu = try ChildProcess.run(Self.gnuGrep!, ["-a"] + flags + ["-e", pattern] + files, environment: ["LC_ALL": "C"],
                                               directory: dir.appendingPathComponent("marked").path)
                let expected = String(decoding: gnu.stdout, as: UTF8.self).replacingOccurrences(of: "@@", with: "")
                #expect(stag.stdout == expected, "\(flags) \(files): line \(LookupStreamTests.firstDifference(stag.stdout, expected))")
                #expect(stag.status == gnu.status, "\(flags) \(files)")
                #expect(stag.stderr.isEmpty)
            }
        }
    }

    @Test func withTagsAndJSONEqualTheReference() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-grep-json")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Self.log(seed: 3, lines: 1200)
        bytes += [0x78, 0x20, 0xFF, 0x22, 0x20] + Array(Self.tags[0].ipv4[0].address.description.utf8) + [0x0A]  // invalid UTF-8, a quote
        try Data(bytes).write(to: dir.appendingPathComponent("x.log"))
        let lines = StreamReference.lines(bytes)
        var withTags = "", withTagsOnly = "", json = ""
        for (i, line) in lines.enumerated() {
            let matches = StreamReference.grepMatches(line, tags: Self.tags, selected: Self.selected)
            if matches.isEmpty { continue }
            let union = Set(matches.flatMap(\.tags)).sorted(by: StreamReference.byteOrder)
            withTags += String(decoding: line, as: UTF8.self) + "\t" + union.map(StreamReference.escaped).joined(separator: ",") + "\n"
            for m in matches { withTagsOnly += "\(i + 1):\(m.text)\t" + m.tags.map(StreamReference.escaped).joined(separator: ",") + "\n" }
            let addresses = matches.map { #"{"address":"\#($0.text)","tags":[\#($0.tags.map(StreamReference.json).joined(separator: ","))]}"# }
            json += #"{"file":"x.log","lineNumber":\#(i + 1),"line":\#(StreamReference.json(String(decoding: line, as: UTF8.self))),"addresses":[\#(addresses.joined(separator: ","))]}"# + "\n"
        }
        let tagArgs = Self.selectedNames.flatMap { ["--tag", $0] }
        let run = { (flags: [String]) in try StagCLI.run(["grep", "--data", CLITestData.sample] + tagArgs + flags + ["x.log"], directory: dir.path) }
        let t = try run(["--with-tags"]), o = try run(["--with-tags", "-o", "-n"]), j = try run(["--json"])
        // --with-tags prints the line's bytes as they are (here one invalid UTF-8 byte).
        #expect(t.stdoutBytes == Data(withTags.utf8) || String(decoding: t.stdoutBytes, as: UTF8.self) == withTags)
        #expect(o.stdout == withTagsOnly, "line \(LookupStreamTests.firstDifference(o.stdout, withTagsOnly))")
        #expect(j.stdout == json, "line \(LookupStreamTests.firstDifference(j.stdout, json))")
        #expect(t.status == 0 && o.status == 0 && j.status == 0)
    }

    /// Worker threads (a 6 MB input is past the 4 MiB after which they take over) give the bytes
    /// of the single-threaded path, in input order, in every output mode.
    @Test func threadsGiveTheSingleThreadedBytes() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-grep-threads")
        defer { try? FileManager.default.removeItem(at: dir) }
        var big: [UInt8] = []
        var seed: UInt64 = 10
        while big.count < 6_000_000 { big += Self.log(seed: seed, lines: 2000); seed += 1 }
        try Data(big).write(to: dir.appendingPathComponent("big.log"))
        let tagArgs = Self.selectedNames.flatMap { ["--tag", $0] }
        for flags in [["-n"], ["--json"], ["-c"], ["-o", "--with-tags"]] {
            let one = try StagCLI.run(["grep", "--data", CLITestData.sample, "--threads", "1"] + tagArgs + flags + ["big.log"], directory: dir.path)
            let four = try StagCLI.run(["grep", "--data", CLITestData.sample, "--threads", "4"] + tagArgs + flags + ["big.log"], directory: dir.path)
            #expect(one.status == 0 && four.status == 0)
            #expect(one.stdoutBytes == four.stdoutBytes, "\(flags): line \(LookupStreamTests.firstDifference(four.stdout, one.stdout))")
        }
        let q = try StagCLI.run(["grep", "--data", CLITestData.sample, "--threads", "4", "-q"] + tagArgs + ["big.log"], directory: dir.path)
        #expect(q.status == 0 && q.stdout.isEmpty)
    }

    /// As grep: an unreadable file is reported, the others are still searched, exit 2; with -q a
    /// selected line still exits 0.
    @Test func anUnreadableFileIsReportedAndTheOthersSearched() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-grep-missing")
        defer { try? FileManager.default.removeItem(at: dir) }
        let hit = Self.tags.first { $0.name == "AzureCloud" }!.ipv4[0].address.description
        try Data("a \(hit)\n".utf8).write(to: dir.appendingPathComponent("a.log"))
        let r = try StagCLI.run(["grep", "--data", CLITestData.sample, "--tag", "AzureCloud", "missing.log", "a.log"], directory: dir.path)
        #expect(r.status == 2 && r.stdout == "a.log:a \(hit)\n")
        #expect(r.stderr == "stag: grep: missing.log: No such file or directory\n")
        let q = try StagCLI.run(["grep", "--data", CLITestData.sample, "--tag", "AzureCloud", "-q", "missing.log", "a.log"], directory: dir.path)
        #expect(q.status == 0 && q.stdout.isEmpty)
        let c = try StagCLI.run(["grep", "--data", CLITestData.sample, "--tag", "AzureCloud", "-c", "a.log", dir.path], directory: dir.path)
        #expect(c.status == 2 && c.stdout == "a.log:1\n\(dir.path):0\n" && c.stderr.contains("Is a directory"))
    }
}

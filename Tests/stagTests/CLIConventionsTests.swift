import Foundation
import Testing

/// The conventions every command follows (`cli.md`, "Conventions" and "Choosing the data"): help,
/// version, unknown commands and options, stdout for results and stderr for errors, where the data
/// comes from, and that malformed or truncated data is one clear error, exit 2, never a crash.
@Suite struct CLIConventionsTests {
    typealias D = CLITestData

    static let commands = ["lookup", "tags", "info", "diff", "export", "fetch", "history", "completion", "man", "suggest"]

    @Test func topLevelHelpListsEveryCommand() throws {
        let help = try StagCLI.run(["--help"])
        #expect(help.status == 0 && help.stderr.isEmpty)
        #expect(help.stdout.contains("Usage: stag COMMAND"))
        for c in Self.commands { #expect(help.stdout.contains("\n  \(c) "), "--help does not list \(c)") }
        #expect(try StagCLI.run(["-h"]).stdout == help.stdout)
        #expect(try StagCLI.run(["help"]).stdout == help.stdout)
        // No command at all: the usage, but as an error.
        let bare = try StagCLI.run([])
        #expect(bare.status == 2 && bare.stdout.isEmpty && bare.stderr.contains("Usage: stag COMMAND"))
    }

    @Test(arguments: ["lookup", "tags", "info", "suggest"])
    func commandHelpThreeWays(_ command: String) throws {
        let viaHelp = try StagCLI.run(["help", command])
        #expect(viaHelp.status == 0 && viaHelp.stderr.isEmpty)
        #expect(viaHelp.stdout.hasPrefix("Usage: stag \(command) "))
        for option in ["--data", "--json", "--help"] { #expect(viaHelp.stdout.contains(option)) }
        for args in [[command, "--help"], [command, "-h"], [command, "--json", "--help", "--data", "/nonexistent"]] {
            let r = try StagCLI.run(args)
            #expect(r.status == 0 && r.stdout == viaHelp.stdout, "\(args)")
        }
    }

    @Test func lookupHelpDocumentsTheContract() throws {
        let help = try StagCLI.run(["lookup", "--help"]).stdout
        #expect(help.contains("Usage: stag lookup [--data PATH]... [--tag NAME]... [--overlap] [--json] ADDRESS... | -"))
        #expect(help.contains("--tag NAME") && help.contains("standard input"))
        #expect(help.contains("0 if any input matched a tag, 1 if none did, 2 if any input or the data was invalid"))
    }

    @Test func versionIsOneLine() throws {
        let r = try StagCLI.run(["--version"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        #expect(r.stdout.wholeMatch(of: /stag \d+\.\d+\.\d+ \(compiled index format \d+, compiled history format \d+\)\n/) != nil, "\(r.stdout)")
    }

    @Test(arguments: [
        (["lokup", "192.0.2.1"], ["unknown command 'lokup'", "did you mean 'lookup'", "stag --help"]),
        (["frobnicate"], ["unknown command 'frobnicate'", "stag --help"]),
        (["--frobnicate"], ["unknown option '--frobnicate'", "stag --help"]),
        (["help", "tagz"], ["unknown command 'tagz'", "did you mean 'tags'"]),
        (["lookup", "--jsno", "192.0.2.1"], ["lookup: unknown option '--jsno'", "did you mean '--json'", "stag lookup --help"]),
        (["tags", "--regio", "x"], ["tags: unknown option '--regio'", "did you mean '--region'", "stag tags --help"]),
        (["info", "--verbose"], ["info: unknown option '--verbose'", "stag info --help"]),
        (["info", "--json=yes"], ["info: option '--json' takes no value"]),
        (["tags", "--data"], ["tags: option '--data' needs a value"]),
        (["tags", "--data", "a", "--data", "b"], ["tags: option '--data' given more than once"]),
    ])
    func usageErrorsAreOneLineWithAHint(_ arguments: [String], _ fragments: [String]) throws {
        let r = try StagCLI.run(arguments)
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("stag: ") && r.stderr.hasSuffix("\n") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        for fragment in fragments { #expect(r.stderr.contains(fragment), "\(r.stderr)") }
    }

    /// Every error of a command starts `stag: COMMAND: `, whichever layer raised it (cli.md).
    @Test(arguments: [
        ["lookup", "192.0.2.1", "--data", "/nonexistent.json"], ["lookup", "-", "--data", "-"],
        ["tags", "--data", "/nonexistent.json"], ["info", "--data", ""], ["diff", "/nonexistent-a.json", "/nonexistent-b.json"],
        ["diff", "--previous", "--cloud", "mars"], ["export", "Nope", "--data", "/nonexistent.json"], ["grep", "fw.log"],
        ["compile", "--data", "/nonexistent.json", "-o", "/tmp/x.stagidx"], ["fetch", "--list", "--dir", "/nonexistent/cache", "--keep", "2"],
        ["lookup", "--tag", "Nope", "192.0.2.1", "--data", CLITestData.sample],
        ["history", "192.0.2.1", "--archive", "/nonexistent"], ["history", "--tag", "AzureCloud"], ["history", "--cloud", "mars", "--tag", "X"],
        ["completion", "tcsh"], ["completion", "bash", "--data", CLITestData.sample], ["man", "extra"],
        ["suggest", "192.0.2.1", "--data", "/nonexistent.json"], ["suggest", "-", "--data", "-"], ["suggest", "--data", CLITestData.sample],
        ["lookup", "192.0.2.1", "--data", CLITestData.sample, "--data", "/nonexistent.json"], ["lookup", "192.0.2.1", "--data", "-", "--data", "-"],
        ["lookup", "--overlap", "--tag", "Nope", "192.0.2.0/24", "--data", CLITestData.sample],
    ])
    func everyErrorLineNamesItsCommand(_ arguments: [String]) throws {
        let r = try StagCLI.run(arguments)
        #expect(r.status == 2 && r.stdout.isEmpty, "\(arguments): \(r.stderr)")
        #expect(r.stderr.hasPrefix("stag: \(arguments[0]): "), "\(arguments): \(r.stderr)")
    }

    /// A result that could not be written is an error, not success or "nothing found".
    @Test func failedWritesToStandardOutputExitTwo() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else {
            print("CLIConventionsTests.failedWritesToStandardOutputExitTwo: no /dev/full; skipped")
            return
        }
        for args in [["lookup", "23.41.24.130"], ["lookup", "192.0.2.1"], ["tags"], ["info"], ["export", "Storage"], ["--help"], ["--version"],
                     ["lookup", "--help"], ["completion", "bash", "--"], ["man", "--"]] {
            let r = try StagCLI.run(args + (args.contains { $0.hasPrefix("-") } ? [] : ["--data", D.sample]), stdoutPath: "/dev/full")
            #expect(r.status == 2 && r.stderr.contains("cannot write to standard output"), "\(args): \(r.status) \(r.stderr)")
        }
    }

    // MARK: Choosing the data

    @Test func dataComesFromOptionThenEnvironmentThenCache() throws {
        try D.withSmallFile { small, dir in
            // The sample in a cache directory, the small file named by --data or STAG_DATA.
            let cache = dir.appendingPathComponent("cache")
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            let cached = cache.appendingPathComponent("ServiceTags_Public_20251021.json").path
            try FileManager.default.copyItem(atPath: D.sample, toPath: cached)
            func file(_ args: [String], _ env: [String: String], stdin: StagCLI.Input = .none) throws -> String? {
                let r = try StagCLI.run(["info", "--json"] + args, stdin: stdin, environment: env)
                return r.status == 0 ? try D.json(r.stdout)["file"] as? String : "exit \(r.status): \(r.stderr)"
            }
            #expect(try file(["--data", small], ["STAG_DATA": "/nonexistent", "STAG_CACHE_DIR": cache.path]) == small)
            #expect(try file([], ["STAG_DATA": small, "STAG_CACHE_DIR": cache.path]) == small)
            #expect(try file([], ["STAG_CACHE_DIR": cache.path]) == cached)
            #expect(try file(["--data", "-"], ["STAG_CACHE_DIR": cache.path], stdin: .bytes(Data(D.small.utf8))) == "<stdin>")
            #expect(try file([], ["STAG_DATA": "-"], stdin: .bytes(Data(D.small.utf8))) == "<stdin>")

            // The newest weekly file wins; $STAG_CACHE_DIR, else $XDG_CACHE_HOME/stag, else ~/.cache/stag.
            let newer = cache.appendingPathComponent("ServiceTags_Public_20251028.json").path
            try FileManager.default.copyItem(atPath: small, toPath: newer)
            #expect(try file([], ["STAG_CACHE_DIR": cache.path]) == newer)
            let xdg = dir.appendingPathComponent("xdg"), home = dir.appendingPathComponent("home")
            for stagDir in [xdg.appendingPathComponent("stag"), home.appendingPathComponent(".cache/stag")] {
                try FileManager.default.createDirectory(at: stagDir, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: small, toPath: stagDir.appendingPathComponent("ServiceTags_Public_20250101.json").path)
            }
            #expect(try file([], ["XDG_CACHE_HOME": xdg.path, "HOME": home.path]) == xdg.path + "/stag/ServiceTags_Public_20250101.json")
            #expect(try file([], ["HOME": home.path]) == home.path + "/.cache/stag/ServiceTags_Public_20250101.json")
            #expect(try file([], ["STAG_CACHE_DIR": cache.path, "XDG_CACHE_HOME": xdg.path, "HOME": home.path]) == newer)

            // Every command that reads data follows the same rules.
            let lookup = try StagCLI.run(["lookup", "192.0.2.10"], environment: ["STAG_DATA": small])
            #expect(lookup.status == 0 && lookup.stdout == LookupCLITests.text192_0_2_10)
            let tags = try StagCLI.run(["tags", "--json"], environment: ["HOME": home.path])
            #expect(tags.status == 0)
            #expect(try D.json(tags.stdout)["changeNumber"] as? Int == 42)
        }
    }

    /// No --data, no STAG_DATA, nothing fetched: an error, never the sample beside the binary or
    /// in the working directory.
    @Test func withoutAnyDataItSaysToFetch() throws {
        let empty = try StagCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        for command in [["lookup", "192.0.2.1"], ["tags"], ["info"], ["lookup", "-"]] {
            for env in [[:], ["STAG_CACHE_DIR": empty.path], ["XDG_CACHE_HOME": empty.path]] {
                let r = try StagCLI.run(command, environment: env, directory: StagCLI.fixture(""))
                #expect(r.status == 2 && r.stdout.isEmpty, "\(command) \(env)")
                #expect(r.stderr.contains("stag fetch") && r.stderr.contains("--data"), "\(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1)
            }
        }
        let blank = try StagCLI.run(["lookup", "192.0.2.1", "--data", ""])
        #expect(blank.status == 2 && blank.stderr.contains("empty data path"), "\(blank.stderr)")
    }

    @Test func missingDataIsAnErrorNamingTheFile() throws {
        for path in ["/nonexistent/ServiceTags_Public_20251028.json", "/"] {
            for command in [["lookup", "192.0.2.1"], ["tags"], ["info"]] {
                let r = try StagCLI.run(command + ["--data", path])
                #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.hasPrefix("stag: \(command[0]): \(path)"), "\(r.stderr)")
            }
        }
    }

    // MARK: Malformed and truncated data

    static let malformed: [String] = {
        let dir = StagCLI.fixture("reader/malformed")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
    }()

    /// One line on stderr naming the command, the input, line:column and byte offset; nothing on stdout.
    static func expectDataError(_ r: StagCLI.Result, command: String, input: String, _ context: String) {
        #expect(r.status == 2 && !r.signaled, "\(context): exit \(r.status), signaled \(r.signaled)")
        #expect(r.stdout.isEmpty, "\(context)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(context): one line expected: \(r.stderr)")
        let located = r.stderr.hasPrefix("stag: \(command): \(input):")
            && r.stderr.dropFirst("stag: \(command): \(input):".count).firstMatch(of: /^\d+:\d+ \(byte \d+\): \S/) != nil
        #expect(located, "\(context): \(r.stderr)")
    }

    @Test func everyMalformedFixtureIsOneLocatedError() throws {
        #expect(Self.malformed.count >= 20, "Fixtures/reader/malformed/ not found")
        for path in Self.malformed {
            let name = URL(fileURLWithPath: path).lastPathComponent
            Self.expectDataError(try StagCLI.run(["lookup", "1.2.3.4", "--data", path]), command: "lookup", input: path, "lookup \(name)")
            Self.expectDataError(try StagCLI.run(["info", "--data", path]), command: "info", input: path, "info \(name)")
            Self.expectDataError(try StagCLI.run(["info", "--data", "-"], stdin: .bytes(try Data(contentsOf: URL(fileURLWithPath: path)))),
                                 command: "info", input: "<stdin>", "info - < \(name)")
        }
    }

    /// The README sample cut every 97 bytes (the every-byte loop runs at the reader level), piped.
    /// Four processes at a time: most of the cost is starting them.
    @Test func truncatedSampleIsAnErrorAtEveryCut() async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: D.sample))
        let cuts = Array(stride(from: 0, to: bytes.count, by: 97))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, cut) in cuts.enumerated() {
                if i >= 4 { try await group.next() }
                group.addTask {
                    let r = try StagCLI.run(["lookup", "23.41.24.130", "--data", "-"], stdin: .bytes(bytes.prefix(cut)))
                    Self.expectDataError(r, command: "lookup", input: "<stdin>", "cut at \(cut)")
                }
            }
            try await group.waitForAll()
        }
        // The uncut file works the same way.
        #expect(try StagCLI.run(["lookup", "23.41.24.130", "--data", "-"], stdin: .bytes(bytes)).status == 0)
    }
}

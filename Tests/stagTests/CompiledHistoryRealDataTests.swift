import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// On the real weekly series (`../shared/data/history/`, never committed): the compiled history
/// answers byte for byte as the JSON files (whose answers `HistoryRealDataTests` checks against
/// the reference), for the same 400 seeded addresses and for `--tag AzureCloud`, JSON and text.
@Suite struct CompiledHistoryRealDataTests {
    @Test(.enabled(if: HistoryRealDataTests.available,
                   Comment(rawValue: FixturePaths.realHistorySkipNote + HistoryRealDataTests.series.joined(separator: ", "))),
          arguments: HistoryRealDataTests.series)
    func compiledAnswersAsTheFiles(series: String) throws {
        let dir = try #require(FixturePaths.realHistoryDirectory(series))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        let files = try names.map { try ServiceTagsFile(readingFileAt: dir + "/" + $0) }
        let input = HistoryRealDataTests.addresses(files, count: 400, seed: 2024).map(\.description).joined(separator: "\n") + "\n"
        let scratch = try StagCLI.temporaryDirectory(prefix: "stag-chist-real")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("history.stagh").path
        let c = try StagCLI.run(["compile", "--archive", dir, "-o", out, "--json"])
        #expect(c.status == 0 && c.stderr.isEmpty, "\(c.stderr)")
        for arguments in [["--json", "-"], ["-"], ["--json", "--tag", "AzureCloud"], ["--tag", "AzureCloud"]] {
            let stdin: StagCLI.Input = arguments.last == "-" ? .bytes(Data(input.utf8)) : .none
            let json = try StagCLI.run(["history", "--archive", dir] + arguments, stdin: stdin)
            let compiled = try StagCLI.run(["history", "--archive", out] + arguments, stdin: stdin)
            #expect(compiled.stdoutBytes == json.stdoutBytes && compiled.status == json.status && compiled.stderr == json.stderr, "\(arguments)")
            #expect(!compiled.stdoutBytes.isEmpty)
            print("compiled history \(series) \(arguments): files \(String(format: "%.2f", json.seconds)) s, compiled \(String(format: "%.3f", compiled.seconds)) s")
        }
        print("compiled history \(series): \(files.count) files, \(c.stdout)")
    }
}

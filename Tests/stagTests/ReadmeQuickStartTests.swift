import Foundation
import ServiceTagsTestSupport
import Testing

/// The README's `## Quick start`: its first code block holds exactly the two commands a fresh clone
/// runs, and the output block after it is what the lookup prints, line for line.
@Suite struct ReadmeQuickStartTests {
    /// The fenced code blocks after the `## Quick start` heading, up to the next `## ` heading.
    static func quickStartBlocks() throws -> [[String]] {
        let readme = try String(contentsOfFile: FixturePaths.packageRoot + "/README.md", encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "## Quick start"), "README has no '## Quick start'")
        var blocks: [[String]] = [], current: [String]? = nil
        for line in lines[(start + 1)...] {
            if current == nil && line.hasPrefix("## ") { break }
            if line.hasPrefix("```") {
                if let block = current { blocks.append(block); current = nil } else { current = [] }
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    @Test func firstBlockIsTheLookupAndTheTests() throws {
        let blocks = try Self.quickStartBlocks()
        #expect(blocks.first == ["swift run -c release stag lookup 23.41.24.130 --data Fixtures/sample.json", "swift test"])
    }

    @Test func quotedOutputIsWhatTheLookupPrints() throws {
        let blocks = try Self.quickStartBlocks()
        try #require(blocks.count >= 2)
        let command = blocks[0][0].split(separator: " ").map(String.init)
        let arguments = Array(command.drop { $0 != "lookup" })    // after `swift run -c release stag`
        let run = try StagCLI.run(arguments, directory: FixturePaths.packageRoot)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let printed = run.stdout.split(separator: "\n").map(String.init)
        #expect(printed == blocks[1], "README quotes:\n\(blocks[1].joined(separator: "\n"))\nstag prints:\n\(run.stdout)")
    }
}

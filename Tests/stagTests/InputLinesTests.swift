import Foundation
import ServiceTagsTestSupport
@testable import stag
import Testing

/// `InputLines` against a split on `\n` (the slow reference): seeded inputs whose lines are empty,
/// short, or several read blocks long (so lines straddle every block boundary and the buffer grows
/// and shrinks back), with or without a final newline, read from a file in blocks.
@Suite struct InputLinesTests {
    @Test(arguments: 0 ..< 12) func linesAreTheSplitOnNewlines(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0 ..< Int.random(in: 0 ... 40, using: &rng) {
            let long = Int.random(in: 0 ..< 6, using: &rng) == 0
            let n = long ? Int.random(in: 0 ... 3 * InputLines.blockSize, using: &rng) : Int.random(in: 0 ... 40, using: &rng)
            bytes += (0 ..< n).map { _ in UInt8.random(in: 0x0B ... 0x7E, using: &rng) }
            bytes.append(0x0A)
        }
        if Bool.random(using: &rng) { bytes += Array("last line, no newline\r".utf8) }
        var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if bytes.last == 0x0A || bytes.isEmpty { expected.removeLast() }

        let dir = try StagCLI.temporaryDirectory(prefix: "stag-lines")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("input").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var lines: [[UInt8]] = [], blocks = 0
        try InputLines.forEach(fd: fd, command: "test", { lines.append(Array($0)) }, afterBlock: { blocks += 1 })
        #expect(lines == expected, "\(lines.count) lines, expected \(expected.count)")
        #expect(blocks >= 1)
    }

    @Test func aFailedReadIsAnErrorNamingTheCommand() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-lines")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY)  // read(2) of a directory: EISDIR
        defer { close(fd) }
        #expect(throws: CLIError.self) { try InputLines.forEach(fd: fd, command: "suggest", { _ in }, afterBlock: {}) }
    }
}

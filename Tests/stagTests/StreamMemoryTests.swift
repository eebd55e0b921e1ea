import Foundation
import ExportTargetModels
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 8 item 7 and issue 9's memory acceptance: `stag grep` and `stag lookup -` hold at most one
/// line plus a constant, and their peak memory does not grow with the input. Peak RSS is the
/// child's `ru_maxrss` as GNU time reports it.
@Suite(.enabled(if: gnuTime != nil, "GNU time (/usr/bin/time) is not installed"), .unsanitizedMemory)
struct StreamMemoryTests {
    /// Runs stag with standard input from `input` and output to /dev/null; its exit status and
    /// peak RSS in bytes, as GNU time reports it (its child is forked from a small process: a
    /// child posix_spawned from this big test process would carry our peak in its `ru_maxrss`).
    static func peak(_ arguments: [String], input: String) throws -> (status: Int32, bytes: Int) {
        let scratch = try StagCLI.temporaryDirectory(prefix: "stag-rss")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("rss").path
        let r = try ChildProcess.run(gnuTime!, ["-f", "%M", "-o", report, StagCLI.executable.path] + arguments,
                                     environment: StagCLI.cleanEnvironment(home: scratch.path, adding: [:]),
                                     stdin: .file(input), stdoutPath: "/dev/null")
        let kib = Int((try String(contentsOfFile: report, encoding: .utf8)).split(separator: "\n").last ?? "") ?? -1
        #expect(kib > 0)
        return (r.status, kib * 1024)
    }

    static func file(_ dir: URL, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let mib = 1 << 20

    /// Regression (issue 8 item 7): a 32 MiB line, selected and not, costs about one copy of the
    /// line, where the String-per-line reader held it three times.
    @Test func regressionAHugeLineIsHeldOnce() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-huge-line")
        defer { try? FileManager.default.removeItem(at: dir) }
        let hit = try ServiceTagsFileTags.azureCloudAddress()
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 32 * Self.mib)
        let tail = Array("\nshort \(hit)\n".utf8)
        let baseline = try Self.peak(["grep", "--data", CLITestData.sample, "--tag", "AzureCloud"], input: Self.file(dir, "small", tail))
        for (name, line) in [("unselected", filler + Array(" 10.0.0.1".utf8)), ("selected", filler + Array(" \(hit)".utf8))] {
            let path = try Self.file(dir, name, line + tail)
            let r = try Self.peak(["grep", "--data", CLITestData.sample, "--tag", "AzureCloud"], input: path)
            #expect(r.status == 0)
            // The line once (in a buffer of up to 1.25 times its size, pages touched: its size) plus slack.
            #expect(r.bytes - baseline.bytes < line.count + 24 * Self.mib, "\(name): peak \(r.bytes / Self.mib) MiB, baseline \(baseline.bytes / Self.mib) MiB")
        }
        let lookupLine = [UInt8](repeating: UInt8(ascii: " "), count: 32 * Self.mib) + Array("\(hit)\n".utf8)
        let l = try Self.peak(["lookup", "--data", CLITestData.sample, "-"], input: Self.file(dir, "lookup", lookupLine))
        #expect(l.status == 0 && l.bytes - baseline.bytes < lookupLine.count + 24 * Self.mib, "lookup: peak \(l.bytes / Self.mib) MiB")
    }

    /// Peak memory of 3 times the input stays within 10% (plus 2 MiB of allocator noise). Both
    /// inputs are past the size at which workers start (4 MiB for grep) and long enough to fill every slot (5 of 1 MiB): the constant.
    @Test func peakMemoryDoesNotGrowWithTheInput() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-rss-growth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = GrepStreamTests.log(seed: 5, lines: 20_000)   // ~1.5 MB
        var small: [UInt8] = [], large: [UInt8] = []
        while small.count < 12 * Self.mib { small += log }
        for _ in 0 ..< 3 { large += small }
        let a = try Self.file(dir, "small.log", small), b = try Self.file(dir, "large.log", large)
        for command in [["grep", "--tag", "AzureCloud", "-n"], ["lookup", "-", "--json"]] {
            let args = command + ["--data", CLITestData.sample, "--threads", "2"]
            let s = try Self.peak(args, input: a), l = try Self.peak(args, input: b)
            #expect(Double(l.bytes) <= Double(s.bytes) * 1.1 + Double(2 * Self.mib), "\(command[0]): \(s.bytes / 1024) KiB vs \(l.bytes / 1024) KiB")
        }
    }
}

private let gnuTime = ["/usr/bin/time"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// An address inside `AzureCloud` of the sample.
enum ServiceTagsFileTags {
    static func azureCloudAddress() throws -> String {
        try CLITestData.read(CLITestData.sample).tags.first { $0.name == "AzureCloud" }!.prefixes.first { !$0.contains(":") }!.split(separator: "/")[0].description
    }
}

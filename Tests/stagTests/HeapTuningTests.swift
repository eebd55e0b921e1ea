import Foundation
import ServiceTagsTestSupport
import Testing

/// A `stag` process parsing a large JSON file has its heap on transparent huge pages where the
/// kernel offers them (`HeapTuning`), and one parsing a small file does not. Checked from outside
/// on a live process: `lookup --data FILE -` loads the file, answers the one line written to it,
/// then waits for more; its `AnonHugePages` is read from /proc while it waits. A compiler may drop
/// an allocation that is never used, and with it the heap growth the advice covers (it once did):
/// every process would then quietly stay on 4 KiB pages, which no other test would notice.
@Suite struct HeapTuningTests {
    /// The kernel's THP mode (in brackets) is `always` or `madvise`, not `never` or absent.
    static let hugePagesOffered: Bool = {
        guard let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8) else { return false }
        return mode.contains("[always]") || mode.contains("[madvise]")
    }()

    /// The kB of anonymous huge pages of a `stag lookup --data path -` that has answered one line.
    static func hugePagesOfLoadedLookup(_ path: String) throws -> Int {
        let process = Process()
        process.executableURL = StagCLI.executable
        process.arguments = ["lookup", "--data", path, "-"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data("20.62.130.5\n".utf8))
        // Blocks until the answer is out, so the file is loaded.
        var answer = Data()
        while !answer.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            answer.append(chunk)
        }
        #expect(answer.contains(UInt8(ascii: "\n")), "no answer from the lookup")
        let rollup = try String(contentsOfFile: "/proc/\(process.processIdentifier)/smaps_rollup", encoding: .utf8)
        let line = try #require(rollup.split(separator: "\n").first { $0.hasPrefix("AnonHugePages:") })
        return try #require(Int(line.split(separator: " ")[1]))
    }

    @Test(.enabled(if: hugePagesOffered, "the kernel offers no transparent huge pages here"))
    func aLargeFileIsParsedOnHugePages() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-heap")
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("large.json")
        let bytes = SyntheticServiceTags(.init(tags: 400, prefixes: 40_000, seed: 3)).jsonBytes
        #expect(bytes.count > 1 << 20)  // above HeapTuning.minimumFileBytes
        try Data(bytes).write(to: json)
        #expect(try Self.hugePagesOfLoadedLookup(json.path) > 0)
    }

    @Test(.enabled(if: hugePagesOffered, "the kernel offers no transparent huge pages here"))
    func aSmallFileIsNot() throws {
        #expect(try Self.hugePagesOfLoadedLookup(StagCLI.fixture("sample.json")) == 0)
    }
}

import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Issue 9 part 7, the README's scale-out recipe: a big log split at line boundaries, each piece
/// through its own `stag` process in parallel (`split -n l/K` + `xargs -P`), the outputs joined in
/// piece order, equals one process over the whole log. Holds because both commands are line-local:
/// a line's output depends only on that line (and `-n` numbers restart per piece, which is why the
/// recipe uses neither `-n` nor `-c`).
@Suite struct ScaleOutTests {
    static let tools = ["split", "xargs", "sh", "cat"].allSatisfy { tool in
        ["/usr/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
    }

    /// A log of `count` lines from the sample's prefixes and outside addresses, seeded.
    static func log(count: Int, seed: UInt64) throws -> String {
        let file = try ServiceTagsFile(readingFileAt: StagCLI.fixture("sample.json"))
        let v4 = file.tags.flatMap(\.ipv4), v6 = file.tags.flatMap(\.ipv6)
        var rng = SplitMix64(seed: seed)
        var lines: [String] = []
        for i in 0 ..< count {
            let dst: String
            switch rng.int(in: 0 ..< 4) {
            case 0: let p = rng.element(of: v4); dst = IPv4Address(bits: p.address.bits | UInt32(truncatingIfNeeded: rng.next()) & ~p.mask).description
            case 1: let p = rng.element(of: v6); dst = "[" + IPv6Address(bits: p.address.bits | UInt128(rng.next()) & ~p.mask).description + "]:443"
            case 2: dst = "198.51.100.\(rng.int(in: 0 ... 255))"
            default: dst = "not an address \(i)"
            }
            lines.append("2025-12-02T10:00:\(i % 60) SRC=10.0.0.\(i % 250) DST=\(dst) PROTO=TCP DPT=443")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: tools, "needs split, xargs and sh"), arguments: [
        ["grep", "--tag", "Storage.*", "--tag", "AzureCloud.westeurope"],
        ["grep", "--tag", "AzureCloud", "-v"],
        ["grep", "--tag", "AzureCloud", "-o"],
    ])
    func splitAcrossProcessesEqualsOneProcess(_ command: [String]) throws {
        let dir = try StagCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("fw.log")
        try Data(try Self.log(count: 4000, seed: 9).utf8).write(to: log)
        let args = (command + ["--data", StagCLI.fixture("sample.json")]).map { "'\($0)'" }.joined(separator: " ")
        let whole = try StagCLI.run(command + ["--data", StagCLI.fixture("sample.json"), log.path])
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        // The recipe: 4 pieces at line boundaries, 4 processes, outputs concatenated in piece order.
        let script = """
            cd '\(dir.path)' && split -n l/4 -d fw.log piece. &&
            ls piece.* | xargs -P 4 -I{} sh -c '"$0" \(args) {} > {}.out; [ $? -le 1 ]' '\(StagCLI.executable.path)' &&
            cat piece.0*.out
            """
        let run = try StagCLI.run(["-c", script], binary: URL(fileURLWithPath: "/bin/sh"))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == whole.stdout)
        #expect(!whole.stdout.isEmpty)
    }

    @Test(.enabled(if: tools, "needs split, xargs and sh"))
    func lookupSplitAcrossProcessesEqualsOneProcess() throws {
        let dir = try StagCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The addresses `stag grep -o` would hand over, one per line.
        let addresses = try Self.log(count: 3000, seed: 11).split(separator: "\n").map { line in
            String(line.split(separator: " ")[2].dropFirst(4).split(separator: "]")[0].replacingOccurrences(of: "[", with: ""))
        }
        let input = dir.appendingPathComponent("addresses.txt")
        try Data((addresses.joined(separator: "\n") + "\n").utf8).write(to: input)
        let whole = try StagCLI.run(["lookup", "--json", "--data", StagCLI.fixture("sample.json"), "-"], stdin: .file(input.path))
        let script = """
            cd '\(dir.path)' && split -n l/3 -d addresses.txt piece. &&
            ls piece.* | xargs -P 3 -I{} sh -c '"$0" lookup --json --data "$1" - < {} > {}.out; [ $? -le 2 ]' \
                '\(StagCLI.executable.path)' '\(StagCLI.fixture("sample.json"))' &&
            cat piece.0*.out
            """
        let run = try StagCLI.run(["-c", script], binary: URL(fileURLWithPath: "/bin/sh"))
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout == whole.stdout)
        #expect(whole.stdout.split(separator: "\n").count == addresses.count)
    }
}

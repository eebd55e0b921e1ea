import Foundation

/// The diff CLI tests' fixtures; the binary runs through `StagCLI`.
enum DiffCLI {
    typealias Result = StagCLI.Result

    static func fixture(_ name: String) -> String { StagCLI.fixture("diff/" + name) }

    /// Runs `stag args...`, with standard input from the file `stdin` (else empty).
    static func run(_ args: [String], stdin: String? = nil) throws -> Result {
        try StagCLI.run(args, stdin: stdin.map { .file($0) } ?? .none)
    }

    /// Whether `result` is the reader stub's failure; prints a notice so a skipped test is visible.
    static func readerIsStub(_ result: Result, function: String = #function) -> Bool {
        guard result.status == 2 && result.stderr.contains("stag: stub") else { return false }
        print("DiffCLITests.\(function): the ServiceTags reader is still a stub; skipping until it lands")
        return true
    }

    /// A fresh empty directory for output files.
    static func temporaryDirectory() throws -> String { try StagCLI.temporaryDirectory(prefix: "stag-diff").path }
}

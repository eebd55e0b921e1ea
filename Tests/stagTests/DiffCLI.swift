import Foundation

/// The diff CLI tests' fixtures; the binary runs through `StagCLI`.
enum DiffCLI {
    typealias Result = StagCLI.Result

    static func fixture(_ name: String) -> String { StagCLI.fixture("diff/" + name) }

    /// Runs `stag args...`, with standard input from the file `stdin` (else empty).
    static func run(_ args: [String], stdin: String? = nil) throws -> Result {
        try StagCLI.run(args, stdin: stdin.map { .file($0) } ?? .none)
    }

    /// A fresh empty directory for output files.
    static func temporaryDirectory() throws -> String { try StagCLI.temporaryDirectory(prefix: "stag-diff").path }
}

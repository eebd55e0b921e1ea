import Foundation

/// The diff CLI tests' fixtures; the binary runs through `StagCLI`.
enum DiffCLI {
    typealias Result = StagCLI.Result

    static func fixture(_ name: String) -> String { StagCLI.fixture("diff/" + name) }

    /// Runs `stag args...`, with standard input from the file `stdin` (else empty).
    static func run(_ args: [String], stdin: String? = nil) throws -> Result {
        try StagCLI.run(args, stdin: stdin.map { .file($0) } ?? .none)
    }

    /// A JSON `summary`'s tag and prefix counts: the address counts (`ipv*`, IPv6 as strings) left
    /// out, for the tests that predate them (`DiffReportCLITests` checks those).
    static func tagAndPrefixCounts(_ summary: Any?) -> [String: Int]? {
        (summary as? [String: Any])?.filter { !$0.key.hasPrefix("ipv") }.compactMapValues { $0 as? Int }
    }

    /// A fresh empty directory for output files.
    static func temporaryDirectory() throws -> String { try StagCLI.temporaryDirectory(prefix: "stag-diff").path }
}

import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The analysis commands added with issue 11 (`suggest`, `history`, `lookup --overlap`, several
/// `--data`) on the same hostile files: their text output shows every tag name escaped, one name
/// per line where they list them, and nothing reaches the terminal raw.
extension TerminalInjectionCLITests {
    @Test func analysisCommandsShowHostileNamesEscaped() throws {
        try Self.withFiles { old, new in
            let dir = URL(fileURLWithPath: old).deletingLastPathComponent().path
            let archive = dir + "/archive"
            try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
            // An archive's files must be of the cloud their names say: the hostile tags, cloud Public.
            for (week, new) in [("20240101", false), ("20240108", true)] {
                try Data(ServiceTagsJSONWriter().bytes(of: Self.file(new: new, cloud: "Public")))
                    .write(to: URL(fileURLWithPath: archive + "/ServiceTags_Public_\(week).json"))
            }
            let runs: [(String, [String])] = [
                ("suggest", ["suggest", "192.0.2.1", "192.0.2.2", "--data", old]),
                ("lookup --overlap", ["lookup", "192.0.2.0/24", "--overlap", "--data", old]),
                ("lookup, two --data", ["lookup", "198.51.100.7", "--data", old, "--data", new]),
                ("history", ["history", "192.0.2.1", "--archive", archive]),
                ("history --tag", ["history", "--tag", "*", "--archive", archive]),
            ]
            for (what, arguments) in runs {
                let r = try StagCLI.run(arguments)
                Self.expectInert(r, what)
                #expect(r.status != 2, "\(what): \(r.stderr)")
                // Each command names at least one hostile tag, shown as the reference escapes it.
                #expect(Self.names.contains { r.stdout.contains(Self.shown($0)) }, "\(what): \(r.stdout.debugDescription)")
            }
        }
    }
}

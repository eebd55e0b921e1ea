import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// docs/install.sh (checked with --dry-run: the real install needs a release build, too slow for
/// the suite; README "Install" says how it was verified), `stag --version`, and how `stag fetch`
/// finds `stag-fetch`: beside itself, else on PATH, else an error that says how to install it.
@Suite struct InstallTests {
    static let script = FixturePaths.packageRoot + "/docs/install.sh"

    @Test func dryRunInstallsEverythingUnderPrefix() throws {
        let prefix = try StagCLI.temporaryDirectory(prefix: "stag-prefix")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let r = try ShellTools.run("/bin/sh", [Self.script, "--dry-run"], environment: ["PREFIX": prefix.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let steps = r.stdout.split(separator: "\n").map(String.init)
        #expect(steps.contains { $0.contains("swift build -c release --static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-static --product stag")
            && !$0.contains("stag-fetch") })
        #expect(steps.contains { $0.contains("swift build -c release --static-swift-stdlib --product stag-fetch") })
        #expect(steps.contains { $0.hasPrefix("+ install -m 0755 ") && $0.contains("/stag ") && $0.contains("/stag-fetch ")
            && $0.hasSuffix(" \(prefix.path)/bin/") })
        for destination in ["share/man/man1/stag.1", "share/bash-completion/completions/stag",
                            "share/zsh/site-functions/_stag", "share/fish/vendor_completions.d/stag.fish"] {
            #expect(steps.contains { $0.hasPrefix("+ install -m 0644 ") && $0.hasSuffix(" \(prefix.path)/\(destination)") },
                    "no step installs \(destination)")
        }
        // A dry run changes nothing.
        #expect(try FileManager.default.contentsOfDirectory(atPath: prefix.path).isEmpty)
    }

    @Test func relativePrefixIsRefused() throws {
        let r = try ShellTools.run("/bin/sh", [Self.script, "--dry-run"], environment: ["PREFIX": "local"])
        #expect(r.status == 2 && r.stderr.contains("PREFIX must be an absolute path"), "stderr: \(r.stderr)")
    }

    @Test func versionNamesTheCompiledFormats() throws {
        let r = try StagCLI.run(["--version"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        #expect(r.stdout.wholeMatch(of: /stag \d+\.\d+\.\d+ \(compiled index format \d+, compiled history format \d+\)\n/) != nil, "\(r.stdout)")
        #expect(r.stdout.contains("compiled index format \(CompiledIndex.formatVersion),"))
        #expect(r.stdout.contains("compiled history format \(CompiledHistory.formatVersion))"))
    }

    @Test func fetchFindsTheDownloaderOnPath() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-path")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lonely = dir.appendingPathComponent("alone"), tools = dir.appendingPathComponent("tools")
        for d in [lonely, tools] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(at: StagCLI.executable, to: lonely.appendingPathComponent("stag"))
        let fake = tools.appendingPathComponent("stag-fetch")
        try Data("#!/bin/sh\necho \"fake stag-fetch $*\"\n".utf8).write(to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let binary = lonely.appendingPathComponent("stag")

        let found = try StagCLI.run(["fetch", "--cloud", "china"], environment: ["PATH": tools.path + ":/usr/bin:/bin"], binary: binary)
        #expect(found.status == 0 && found.stdout == "fake stag-fetch --cloud china\n", "stdout: \(found.stdout) stderr: \(found.stderr)")

        let missing = try StagCLI.run(["fetch"], environment: ["PATH": lonely.path], binary: binary)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no stag-fetch is on PATH") && missing.stderr.contains("docs/install.sh"), "stderr: \(missing.stderr)")
    }
}

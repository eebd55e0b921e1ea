import Foundation
import Testing

/// `stag grep` over the small hand-written file (`CLITestData.small`): expected lines by hand.
@Suite struct GrepCLITests {
    static let log = """
    2026-11-27T10:00:01 accept 192.0.2.10:443 -> 10.0.0.1
    2026-11-27T10:00:02 accept [2001:db8:1:2::7]:8443
    2026-11-27T10:00:03 deny 203.0.113.9 version 1.2.3
    2026-11-27T10:00:04 note no address at 12:34:56
    2026-11-27T10:00:05 accept ::ffff:198.51.100.200 mapped
    """

    @Test func printsTheLinesWithAnAddressInsideTheTags() throws {
        try CLITestData.withSmallFile { path, _ in
            let r = try StagCLI.run(["grep", "--tag", "Storage", "--data", path], stdin: .bytes(Data(Self.log.utf8)))
            #expect(r.status == 0)
            #expect(r.stdout == """
            2026-11-27T10:00:01 accept 192.0.2.10:443 -> 10.0.0.1
            2026-11-27T10:00:02 accept [2001:db8:1:2::7]:8443

            """)
            // Globs, several tags, and mapped IPv6 as IPv4 (198.51.100.200 is in Sql's /25).
            let sql = try StagCLI.run(["grep", "--data", path, "--tag", "Sq?", "--tag", "AzureFrontDoor.*"], stdin: .bytes(Data(Self.log.utf8)))
            #expect(sql.stdout.split(separator: "\n").map { String($0.prefix(19)) } == ["2026-11-27T10:00:03", "2026-11-27T10:00:05"])
        }
    }

    @Test func invertJSONAndExitCodes() throws {
        try CLITestData.withSmallFile { path, directory in
            let inverted = try StagCLI.run(["grep", "-v", "--tag", "AzureCloud", "--data", path], stdin: .bytes(Data(Self.log.utf8)))
            #expect(inverted.stdout.split(separator: "\n").map { String($0.prefix(19)) }
                    == ["2026-11-27T10:00:03", "2026-11-27T10:00:04"])
            let json = try StagCLI.run(["grep", "--json", "--tag", "Storage.WestEurope", "--data", path], stdin: .bytes(Data(Self.log.utf8)))
            #expect(json.stdout.split(separator: "\n").first.map(String.init)
                    == #"{"file":"(standard input)","lineNumber":1,"line":"2026-11-27T10:00:01 accept 192.0.2.10:443 -> 10.0.0.1","addresses":[{"address":"192.0.2.10","tags":["Storage.WestEurope"]}]}"#)
            let none = try StagCLI.run(["grep", "--tag", "Sql", "--data", path], stdin: .bytes(Data("nothing 192.0.2.1\n".utf8)))
            #expect(none.status == 1 && none.stdout.isEmpty)
            // Several files: each line prefixed with its file name, as grep does.
            let a = directory.appendingPathComponent("a.log").path, b = directory.appendingPathComponent("b.log").path
            try Data("x 192.0.2.1\n".utf8).write(to: URL(fileURLWithPath: a))
            try Data("y 203.0.113.1\n".utf8).write(to: URL(fileURLWithPath: b))
            let two = try StagCLI.run(["grep", "--tag", "AzureCloud", "--tag", "AzureFrontDoor.Frontend", "--data", path, a, b])
            #expect(two.stdout == "\(a):x 192.0.2.1\n\(b):y 203.0.113.1\n")
        }
    }

    @Test func errorsExitTwo() throws {
        try CLITestData.withSmallFile { path, _ in
            let noTag = try StagCLI.run(["grep", "--data", path], stdin: .bytes(Data()))
            #expect(noTag.status == 2 && noTag.stderr.contains("--tag"))
            let unknown = try StagCLI.run(["grep", "--tag", "Storag", "--data", path], stdin: .bytes(Data()))
            #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'Storage'"))
            let missing = try StagCLI.run(["grep", "--tag", "Storage", "--data", path, "/nonexistent/log"])
            #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/log"))
        }
    }
}

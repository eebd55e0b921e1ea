import Foundation
import Testing

/// `stag lookup` end to end (`cli.md`, "stag lookup"): exact text and JSON Lines on the hand-written
/// `CLITestData.small`, the README sample checked against an independent scan, exit codes, standard
/// input, `--tag`, and the two answer strategies (scan for ≤ 16 command-line addresses, index
/// otherwise) giving the same bytes.
@Suite struct LookupCLITests {
    typealias D = CLITestData

    static func lookup(_ arguments: [String], stdin: StagCLI.Input = .none) throws -> StagCLI.Result {
        try StagCLI.run(["lookup"] + arguments, stdin: stdin)
    }

    // The answers for `CLITestData.small`, written out by hand from its table.
    static let text192_0_2_10 = """
    192.0.2.10
      Storage.WestEurope     192.0.2.10/32  WestEurope  AzureStorage
      Storage                192.0.2.0/26   -           AzureStorage
      AzureCloud.westeurope  192.0.2.0/25   westeurope  -
      AzureCloud             192.0.2.0/24   -           -

    """
    static let json192_0_2_10 = #"{"address":"192.0.2.10","tags":["#
        + #"{"name":"AzureCloud","prefix":"192.0.2.0/24","region":"","systemService":"","networkFeatures":["API","NSG","UDR","FW"]},"#
        + #"{"name":"AzureCloud.westeurope","prefix":"192.0.2.0/25","region":"westeurope","systemService":"","networkFeatures":["API","NSG"]},"#
        + #"{"name":"Storage","prefix":"192.0.2.0/26","region":"","systemService":"AzureStorage","networkFeatures":null},"#
        + #"{"name":"Storage.WestEurope","prefix":"192.0.2.10/32","region":"WestEurope","systemService":"AzureStorage","networkFeatures":["NSG"]}]}"#

    @Test func textShowsTheAddressThenTagsMostSpecificFirst() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.lookup(["192.0.2.10", "--data", data])
            #expect(r.status == 0 && r.stderr.isEmpty, "stderr: \(r.stderr)")
            #expect(r.stdout == Self.text192_0_2_10)

            // Equal lengths by name; a v6 address; a global tag outside AzureCloud; no match.
            let more = try Self.lookup(["2001:db8:1:2::5", "203.0.113.9", "198.51.100.200", "10.0.0.1", "--data", data])
            #expect(more.status == 0)
            #expect(more.stdout == """
            2001:db8:1:2::5
              Storage                2001:db8:1:2::/64  -           AzureStorage
              Storage.WestEurope     2001:db8:1:2::/64  WestEurope  AzureStorage
              AzureCloud.westeurope  2001:db8:1::/48    westeurope  -
              AzureCloud             2001:db8::/32      -           -
            203.0.113.9
              AzureFrontDoor.Frontend  203.0.113.0/24  -  AzureFrontDoor
            198.51.100.200
              Sql         198.51.100.128/25  -  AzureSQL
              AzureCloud  198.51.100.0/24    -  -
            10.0.0.1
              (no service tag)

            """)
        }
    }

    @Test func jsonLinesFollowTheContract() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.lookup(["--json", "192.0.2.10", "10.0.0.1", "203.0.113.9", "--data", data])
            #expect(r.status == 0 && r.stderr.isEmpty)
            #expect(r.stdout == Self.json192_0_2_10 + "\n" + #"{"address":"10.0.0.1","tags":[]}"# + "\n"
                + #"{"address":"203.0.113.9","tags":[{"name":"AzureFrontDoor.Frontend","prefix":"203.0.113.0/24","region":"","systemService":"AzureFrontDoor","networkFeatures":["API","NSG"]}]}"#
                + "\n")
        }
    }

    @Test func prefixArgumentsAskForTagsContainingTheWholePrefix() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.lookup(["--json", "192.0.2.0/26", "192.0.2.0/23", "2001:db8:1::/48", "--data", data])
            #expect(r.status == 0)
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines == [
                #"{"address":"192.0.2.0/26","tags":[{"name":"AzureCloud","prefix":"192.0.2.0/24","region":"","systemService":"","networkFeatures":["API","NSG","UDR","FW"]},"#
                    + #"{"name":"AzureCloud.westeurope","prefix":"192.0.2.0/25","region":"westeurope","systemService":"","networkFeatures":["API","NSG"]},"#
                    + #"{"name":"Storage","prefix":"192.0.2.0/26","region":"","systemService":"AzureStorage","networkFeatures":null},"#
                    + #"{"name":"Storage.WestEurope","prefix":"192.0.2.0/26","region":"WestEurope","systemService":"AzureStorage","networkFeatures":["NSG"]}]}"#,
                #"{"address":"192.0.2.0/23","tags":[]}"#,
                #"{"address":"2001:db8:1::/48","tags":[{"name":"AzureCloud","prefix":"2001:db8::/32","region":"","systemService":"","networkFeatures":["API","NSG","UDR","FW"]},"#
                    + #"{"name":"AzureCloud.westeurope","prefix":"2001:db8:1::/48","region":"westeurope","systemService":"","networkFeatures":["API","NSG"]}]}"#,
            ])
            // A single address written as a host prefix is the address.
            let host = try Self.lookup(["192.0.2.10/32", "--data", data])
            #expect(host.stdout == Self.text192_0_2_10.replacingOccurrences(of: "192.0.2.10\n", with: "192.0.2.10/32\n"))
        }
    }

    @Test func ipv4MappedIPv6IsLookedUpAsIPv4() throws {
        try D.withSmallFile { data, _ in
            for mapped in ["::ffff:192.0.2.10", "::ffff:c000:20a", "::FFFF:192.0.2.10"] {
                let r = try Self.lookup([mapped, "--json", "--data", data])
                #expect(r.status == 0)
                #expect(r.stdout == Self.json192_0_2_10.replacingOccurrences(of: #""address":"192.0.2.10""#, with: #""address":"\#(mapped)""#) + "\n")
            }
        }
    }

    @Test func invalidInputsAreReportedAndProcessingGoesOn() throws {
        try D.withSmallFile { data, _ in
            let inputs = ["nonsense", "192.0.2.10", "192.0.2.1/24", "300.1.1.1", "1.2.3", #"a"b\c"#, "2001:db8::1::2"]
            let r = try Self.lookup(["--json", "--data", data, "--"] + inputs)
            #expect(r.status == 2, "any invalid input is exit 2 even though one matched")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == inputs.count)
            for (line, input) in zip(lines, inputs) {
                let object = try D.json(line)
                #expect(object["address"] as? String == input, "the address as given: \(line)")
                if input == "192.0.2.10" {
                    #expect(String(line) == Self.json192_0_2_10)
                } else {
                    #expect(Set(object.keys) == ["address", "error"], "\(line)")
                    #expect(!((object["error"] as? String) ?? "").isEmpty)
                }
            }
            // Text mode: the valid answers on stdout, one message per invalid input on stderr.
            let text = try Self.lookup(["--data", data, "nonsense", "192.0.2.10", "300.1.1.1"])
            #expect(text.status == 2 && text.stdout == Self.text192_0_2_10)
            let messages = text.stderr.split(separator: "\n")
            #expect(messages.count == 2 && messages.allSatisfy { $0.hasPrefix("stag: ") })
            #expect(messages.first?.contains("nonsense") == true && messages.last?.contains("300.1.1.1") == true)
        }
    }

    @Test func exitCodes() throws {
        try D.withSmallFile { data, _ in
            #expect(try Self.lookup(["192.0.2.10", "--data", data]).status == 0)
            #expect(try Self.lookup(["10.0.0.1", "192.0.2.10", "--data", data]).status == 0, "any input matched")
            #expect(try Self.lookup(["10.0.0.1", "2001:db9::1", "--data", data]).status == 1)
            #expect(try Self.lookup(["10.0.0.1", "bad", "--data", data]).status == 2)
            let none = try Self.lookup(["--data", data])
            #expect(none.status == 2 && none.stdout.isEmpty && none.stderr.hasPrefix("stag: lookup: "))
            let mixed = try Self.lookup(["--data", data, "-", "192.0.2.10"])
            #expect(mixed.status == 2 && mixed.stdout.isEmpty)
            let both = try Self.lookup(["--data", "-", "-"], stdin: .bytes(Data(D.small.utf8)))
            #expect(both.status == 2 && both.stdout.isEmpty && both.stderr.contains("standard input"))
        }
    }

    @Test func tagRestrictsTheAnswer() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.lookup(["192.0.2.10", "--tag", "AzureCloud", "--data", data, "--tag", "Storage"])
            #expect(r.status == 0)
            #expect(r.stdout == """
            192.0.2.10
              Storage     192.0.2.0/26  -  AzureStorage
              AzureCloud  192.0.2.0/24  -  -

            """)
            // The only matching tags are excluded: nothing found.
            let excluded = try Self.lookup(["203.0.113.9", "--tag", "Sql", "--json", "--data", data])
            #expect(excluded.status == 1 && excluded.stdout == #"{"address":"203.0.113.9","tags":[]}"# + "\n")
            // Unknown names are an error with a suggestion, before any answer.
            let unknown = try Self.lookup(["192.0.2.10", "--tag", "Storage.WestEurop", "--data", data])
            #expect(unknown.status == 2 && unknown.stdout.isEmpty)
            #expect(unknown.stderr.contains("unknown tag 'Storage.WestEurop'") && unknown.stderr.contains("did you mean 'Storage.WestEurope'"))
            #expect(unknown.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func standardInputIsReadLineByLine() throws {
        try D.withSmallFile { data, _ in
            let input = "  192.0.2.10\t\n\n# a comment\n   # an indented comment\n\t\n10.0.0.1\r\nnot-an-address\n203.0.113.9"
            let r = try Self.lookup(["-", "--json", "--data", data], stdin: .bytes(Data(input.utf8)))
            #expect(r.status == 2)
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 4)
            #expect(lines.first == Self.json192_0_2_10, "surrounding white space is ignored")
            #expect(lines.dropFirst().first == #"{"address":"10.0.0.1","tags":[]}"#, "CRLF line ends")
            #expect(try D.json(lines[2])["address"] as? String == "not-an-address")
            #expect(lines.last?.hasPrefix(#"{"address":"203.0.113.9","tags":[{"name":"AzureFrontDoor.Frontend""#) == true,
                    "a last line without a newline")
            let empty = try Self.lookup(["-", "--data", data], stdin: .bytes(Data("# nothing\n\n".utf8)))
            #expect(empty.status == 1 && empty.stdout.isEmpty)
        }
    }

    /// Each answer is written before the next line is read: a pipe that stays open gets answers.
    @Test func standardInputStreams() throws {
        try D.withSmallFile { data, _ in
            let session = try StagCLI.Session(["lookup", "-", "--data", data])
            session.send("192.0.2.10")
            #expect(session.readLines(5).joined(separator: "\n") + "\n" == Self.text192_0_2_10)
            session.send("# skipped")
            session.send("10.0.0.1")
            #expect(session.readLines(2) == ["10.0.0.1", "  (no service tag)"])
            #expect(try session.finish() == 0)
        }
    }

    @Test func optionsInAnyOrderAndDoubleDash() throws {
        try D.withSmallFile { data, _ in
            let expected = Self.json192_0_2_10 + "\n"
            for args in [["--json", "192.0.2.10", "--data", data], ["192.0.2.10", "--data", data, "--json"],
                         ["--data=\(data)", "--json", "--", "192.0.2.10"], ["--data", data, "192.0.2.10", "--json"]] {
                let r = try Self.lookup(args)
                #expect(r.status == 0 && r.stdout == expected, "\(args)")
            }
            // After `--`, "--json" is an input (an invalid address), not the option.
            let r = try Self.lookup(["--data", data, "--", "--json", "192.0.2.10"])
            #expect(r.status == 2 && r.stdout == Self.text192_0_2_10 && r.stderr.contains("--json"))
            let bad = try Self.lookup(["--data", data, "--jsn", "192.0.2.10"])
            #expect(bad.status == 2 && bad.stdout.isEmpty && bad.stderr.contains("unknown option '--jsn'") && bad.stderr.contains("'--json'"))
        }
    }

    /// The README's example addresses (and more) against a scan of the sample by JSONSerialization
    /// and `inet_pton`.
    @Test func sampleAnswersMatchAnIndependentScan() throws {
        let file = try D.read(D.sample)
        let inputs = ["23.41.24.130", "2603:10d6:aaaa:7c9::d05", "193.200.128.1", "40.198.86.125", "2603:102c:7e60:ecc::841",
                      "192.0.2.1", "::ffff:40.198.86.125", "40.198.86.124/31", "23.41.24.128/26", "2603:10d6:aaaa::/48"]
        let r = try Self.lookup(["--json", "--data", D.sample] + inputs)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        try #require(lines.count == inputs.count)
        for (line, input) in zip(lines, inputs) {
            let expected = D.matches(input, in: file).sorted { D.byteOrder($0.tag.name, $1.tag.name) }
            let tags = try #require(try D.json(line)["tags"] as? [[String: Any]], "\(line)")
            #expect(tags.map { $0["name"] as? String } == expected.map(\.tag.name), "\(input)")
            #expect(tags.map { $0["prefix"] as? String } == expected.map(\.prefix), "\(input)")
            #expect(tags.map { $0["region"] as? String } == expected.map(\.tag.region))
            #expect(tags.map { $0["systemService"] as? String } == expected.map(\.tag.systemService))
            #expect(tags.map { $0["networkFeatures"] as? [String] } == expected.map(\.tag.networkFeatures))
        }
        // The README's table: tag names containing each example address.
        let names = try D.json(lines[0])["tags"] as? [[String: Any]]
        #expect(Set(names?.compactMap { $0["name"] as? String } ?? []) == ["Storage", "Storage.WestEurope", "AzureCloud.westeurope", "AzureCloud"])
    }

    /// Up to 16 command-line addresses are scanned, more (or stdin) use the index: same bytes.
    @Test func scanAndIndexGiveIdenticalOutput() throws {
        var inputs = ["23.41.24.130", "2603:10d6:aaaa:7c9::d05", "193.200.128.1", "40.198.86.125", "2603:102c:7e60:ecc::841",
                      "192.0.2.1", "::ffff:40.198.86.125", "::ffff:193.200.128.1", "40.198.86.124/31", "40.198.86.0/24",
                      "23.41.24.128/26", "2603:10d6:aaaa::/48", "0.0.0.0", "255.255.255.255", "::", "::/0", "0.0.0.0/0",
                      "bogus", "40.198.86.125/24", "::ffff:40.198.86.0/120"]
        // Every prefix in a few tags, and its first and last addresses.
        for tag in try D.read(D.sample).tags where ["AzureCloud.eastus", "Storage.WestEurope", "AzureFrontDoor.Frontend"].contains(tag.name) {
            inputs += tag.prefixes.prefix(6)
        }
        #expect(inputs.count > 16)
        for mode in [[], ["--json"]] {
            let together = try Self.lookup(mode + ["--data", D.sample] + inputs)
            var oneByOne = ""
            for input in inputs { oneByOne += try Self.lookup(mode + ["--data", D.sample, "--", input]).stdout }
            let stdin = try Self.lookup(mode + ["--data", D.sample, "-"], stdin: .bytes(Data(inputs.joined(separator: "\n").utf8)))
            #expect(together.status == 2 && stdin.status == 2)
            #expect(together.stdout == oneByOne, "index (\(inputs.count) arguments) and scan (one each) differ")
            #expect(stdin.stdout == oneByOne)
            #expect(together.stdout.contains("AzureCloud"))
        }
    }
}

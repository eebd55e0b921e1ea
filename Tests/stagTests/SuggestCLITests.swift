import Foundation
import Testing

/// `stag suggest` end to end (`cli.md`, "stag suggest") on the hand-written `CLITestData.small`,
/// whose answers are worked out by hand below; the search itself is checked against an
/// exhaustive and a greedy reference in `TagSuggestionTests`.
///
/// For 192.0.2.10 the candidates are Storage.WestEurope (64 IPv4 + a /64), Storage (96 + /64),
/// AzureCloud.westeurope (128 + /48) and AzureCloud (512 + /32); for 198.51.100.200, Sql (128) and
/// AzureCloud. Storage and AzureCloud.westeurope are dominated by Storage.WestEurope; the
/// narrowest cover is Sql + Storage.WestEurope (192 IPv4), instead of AzureCloud alone (512).
@Suite struct SuggestCLITests {
    typealias D = CLITestData

    static func suggest(_ arguments: [String], stdin: StagCLI.Input = .none) throws -> StagCLI.Result {
        try StagCLI.run(["suggest"] + arguments, stdin: stdin)
    }

    static let two64 = "18446744073709551616", two96 = "79228162514264337593543950336"

    static let json = #"{"addresses":3,"covered":2,"uncovered":["10.0.0.1"],"ipv4Addresses":192,"ipv6Addresses":"\#(two64)","#
        + #""method":"exact","candidates":3,"tags":[{"name":"Sql","covers":1,"ipv4Addresses":128,"ipv6Addresses":"0"},"#
        + #"{"name":"Storage.WestEurope","covers":1,"ipv4Addresses":64,"ipv6Addresses":"\#(two64)"}],"#
        + #""insteadOf":{"name":"AzureCloud","covers":2,"ipv4Addresses":512,"ipv6Addresses":"\#(two96)"}}"# + "\n"

    @Test func jsonFollowsTheContract() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.suggest(["--json", "--data", data, "192.0.2.10", "198.51.100.200", "10.0.0.1"])
            #expect(r.status == 1 && r.stderr.isEmpty, "some address in no tag: exit 1; \(r.stderr)")
            #expect(r.stdout == Self.json)
        }
    }

    @Test func textReadsLikeAdvice() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.suggest(["--data", data, "192.0.2.10", "198.51.100.200"])
            #expect(r.status == 0)
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "allow Sql (1 address, 128 IPv4) and Storage.WestEurope (1, 64) instead of AzureCloud (512)")
            #expect(lines.contains { $0.hasPrefix("  Storage.WestEurope  1 ") })
            #expect(lines.contains("2 of 2 addresses covered; together these tags allow 192 IPv4 and \(Self.two64) IPv6 addresses"))
            #expect(lines.contains { $0.hasPrefix("method: exact") })
            #expect(!r.stdout.contains("not in any service tag"))

            // One tag is the answer: no "instead of"; nothing covered: said so, exit 1.
            let one = try Self.suggest(["--data", data, "203.0.113.9"])
            #expect(one.status == 0 && one.stdout.hasPrefix("allow AzureFrontDoor.Frontend (1 address, 256 IPv4)\n"))
            let none = try Self.suggest(["--data", data, "10.0.0.1", "10.0.0.2"])
            #expect(none.status == 1)
            #expect(none.stdout.hasPrefix("no service tag contains any of the 2 addresses\n"))
            #expect(none.stdout.hasSuffix("not in any service tag (2):\n  10.0.0.1\n  10.0.0.2\n"))
        }
    }

    @Test func standardInputCountsEachAddressOnce() throws {
        try D.withSmallFile { data, _ in
            let input = "# observed\n192.0.2.10\n\n  198.51.100.200  \n::ffff:192.0.2.10\n192.0.2.10/32\n10.0.0.1\n10.0.0.1\n"
            let r = try Self.suggest(["--json", "--data", data, "-"], stdin: .bytes(Data(input.utf8)))
            #expect(r.status == 1)
            #expect(r.stdout == Self.json)
            // The same from arguments.
            let args = try Self.suggest(["--json", "--data", data, "192.0.2.10", "198.51.100.200", "::ffff:192.0.2.10", "10.0.0.1"])
            #expect(args.stdout == Self.json)
        }
    }

    @Test func aPrefixIsCoveredOnlyByATagHoldingAllOfIt() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.suggest(["--json", "--data", data, "192.0.2.0/26", "192.0.2.0/23"])
            #expect(r.status == 1)
            let object = try D.json(r.stdout)
            #expect(object["uncovered"] as? [String] == ["192.0.2.0/23"])
            #expect((object["tags"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Storage.WestEurope"])
        }
    }

    @Test func invalidAddressesAreReportedAndExitTwo() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.suggest(["--data", data, "nonsense", "192.0.2.10", "300.1.1.1"])
            #expect(r.status == 2)
            #expect(r.stdout.hasPrefix("allow Storage.WestEurope (1 address, 64 IPv4)"))
            let messages = r.stderr.split(separator: "\n")
            #expect(messages.count == 2 && messages.allSatisfy { $0.hasPrefix("stag: suggest: invalid address") })
            let usage = try Self.suggest(["--data", data])
            #expect(usage.status == 2 && usage.stderr.hasPrefix("stag: suggest: "))
            let mixed = try Self.suggest(["--data", data, "-", "192.0.2.10"])
            #expect(mixed.status == 2)
        }
    }

    @Test func severalDataFilesNameTheirCloud() throws {
        try D.withSmallFile { data, dir in
            let gov = dir.appendingPathComponent("ServiceTags_AzureGovernment_20251028.json").path
            let govText = D.small.replacingOccurrences(of: #""cloud": "Public""#, with: #""cloud": "AzureGovernment""#)
                .replacingOccurrences(of: "198.51.100.128/25", with: "198.51.100.192/26")
            try Data(govText.utf8).write(to: URL(fileURLWithPath: gov))
            let r = try Self.suggest(["--json", "--data", data, "--data", gov, "192.0.2.10", "198.51.100.200"])
            #expect(r.status == 0, "\(r.stderr)")
            let object = try D.json(r.stdout)
            let tags = (object["tags"] as? [[String: Any]]) ?? []
            // Storage.WestEurope is identical in both: the first file's wins; the smaller Sql is AzureGovernment's.
            #expect(tags.map { "\($0["name"]!)@\($0["cloud"]!)" } == ["Sql@AzureGovernment", "Storage.WestEurope@Public"])
            #expect(object["ipv4Addresses"] as? Int == 128)
            let text = try Self.suggest(["--data", data, "--data", gov, "192.0.2.10", "198.51.100.200"])
            #expect(text.stdout.hasPrefix("allow Sql [AzureGovernment] (1 address, 64 IPv4) and Storage.WestEurope [Public] (1, 64)"))
        }
    }
}

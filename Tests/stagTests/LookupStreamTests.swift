import Foundation
import Testing
import ServiceTags
import ServiceTagsTestSupport

/// `stag lookup -` on bytes (issue 9 parts 1 and 4) against `StreamReference` on seeded random
/// input: every kind of line the contract names, CRLF, huge lines that span read blocks, and the
/// single-threaded and worker-thread paths, which must give the same bytes.
@Suite struct LookupStreamTests {
    static let tags = try! ServiceTagsFile(readingFileAt: CLITestData.sample).tags

    /// Seeded lines: addresses and prefixes inside and outside the sample's prefixes, mapped IPv6,
    /// invalid inputs, blank lines, comments, white space (ASCII and not), CRLF, huge lines.
    static func input(seed: UInt64, lines: Int, huge: Bool) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let v4 = tags.flatMap(\.ipv4), v6 = tags.flatMap(\.ipv6)
        func inside4() -> IPv4Address { let p = v4[rng.int(in: 0 ... v4.count - 1)]; return IPv4Address(bits: p.address.bits | (UInt32(truncatingIfNeeded: rng.next()) & ~p.mask)) }
        func inside6() -> IPv6Address {
            let p = v6[rng.int(in: 0 ... v6.count - 1)]
            return IPv6Address(bits: p.address.bits | (UInt128(rng.next()) << 64 | UInt128(rng.next())) & ~p.mask)
        }
        var out: [UInt8] = []
        for _ in 0 ..< lines {
            var line: String
            switch rng.int(in: 0 ... 19) {
            case 0 ... 4: line = inside4().description
            case 5: line = IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())).description
            case 6, 7: line = inside6().description
            case 8: line = IPv6Address(bits: UInt128(rng.next()) << 64 | UInt128(rng.next())).description
            case 9: line = rng.chance(0.5) ? "::ffff:" + inside4().description : "::FFFF:" + String(inside4().bits >> 16, radix: 16) + ":" + String(inside4().bits & 0xFFFF, radix: 16)
            case 10:
                let p = v4[rng.int(in: 0 ... v4.count - 1)]
                let length = rng.int(in: Int(p.length) ... 32)
                line = rng.chance(0.8) ? IPv4Prefix(masking: inside4(), length: length).description : "\(inside4())/\(rng.int(in: 0 ... 40))"
            case 11:
                line = rng.chance(0.5) ? IPv6Prefix(masking: inside6(), length: rng.int(in: 16 ... 128)).description
                    : "::ffff:\(IPv4Prefix(masking: inside4(), length: 24).address)/\(rng.int(in: 100 ... 128))"
            case 12: line = ["nonsense", "300.1.1.1", "1.2.3", #"a"b\c"#, "2001:db8::1::2", "1.2.3.4 5", "\u{1}1.2.3.4", "fe80::1%eth0",
                             "1.2.3.4/", "/24", "01.2.3.4", "é", "1.2.3.4\u{7F}", "\u{202E}1.2.3.4"][rng.int(in: 0 ... 13)]
            case 13: line = ["", "   ", "\t", "\u{0B}\u{0C}"][rng.int(in: 0 ... 3)]
            case 14: line = ["# a comment", "  # indented", "#", "#1.2.3.4"][rng.int(in: 0 ... 3)]
            case 15: line = [" ", "\t", "  \t", "\u{A0}", "\u{2003}", "\u{3000}"][rng.int(in: 0 ... 5)] + inside4().description + [" ", "\t", "\u{85}", ""][rng.int(in: 0 ... 3)]
            case 16: line = inside4().description + "\r"       // CRLF
            case 17:
                out += [0x31, 0x2E, 0xFF, 0x0A]                  // invalid UTF-8 (not via String)
                line = "x"
            default: line = inside6().description.uppercased()
            }
            out += Array(line.utf8)
            out.append(0x0A)
        }
        if huge {
            // Longer than a read block (128 KiB): white space around an address, and a huge invalid line.
            out += Array(String(repeating: " ", count: 300_000).utf8) + Array(inside4().description.utf8) + Array(String(repeating: "\t", count: 200_000).utf8) + [0x0A]
            out += Array(String(repeating: "1", count: 400_000).utf8) + [0x0A]
        }
        out += Array(inside4().description.utf8)      // no final newline
        return out
    }

    static func run(_ input: [UInt8], _ arguments: [String]) throws -> StagCLI.Result {
        try StagCLI.run(["lookup", "--data", CLITestData.sample, "-"] + arguments, stdin: .bytes(Data(input)))
    }

    @Test(arguments: [false, true])
    func equalsTheReferenceSingleAndMultiThreaded(json: Bool) throws {
        // About 1.1 MB: past the 512 KiB after which workers take over.
        let input = Self.input(seed: json ? 91 : 19, lines: 12_000, huge: true)
        let expected = StreamReference.lookup(input, tags: Self.tags, json: json)
        #expect(!expected.invalid.isEmpty && expected.matched)
        for threads in ["1", "4"] {
            let r = try Self.run(input, (json ? ["--json"] : []) + ["--threads", threads])
            #expect(r.status == expected.status)
            #expect(r.stdout == expected.stdout, "threads \(threads): first difference at line \(Self.firstDifference(r.stdout, expected.stdout))")
            if !json {
                let messages = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                #expect(messages.count == expected.invalid.count)
                #expect(messages.allSatisfy { $0.hasPrefix("stag: lookup: invalid address ") })
            } else {
                #expect(r.stderr.isEmpty)
            }
        }
    }

    @Test func tagRestrictsTheStream() throws {
        let input = Self.input(seed: 7, lines: 3_000, huge: false)
        let only: Set<String> = ["AzureCloud", "Storage.WestEurope"]
        for json in [false, true] {
            let expected = StreamReference.lookup(input, tags: Self.tags, json: json, only: only)
            let r = try Self.run(input, (json ? ["--json"] : []) + ["--tag", "AzureCloud", "--tag", "Storage.WestEurope"])
            #expect(r.status == expected.status && r.stdout == expected.stdout, "line \(Self.firstDifference(r.stdout, expected.stdout))")
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0 ..< max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            return "\(i): got \(i < x.count ? String(x[i].prefix(200)).debugDescription : "nothing"), want \(i < y.count ? String(y[i].prefix(200)).debugDescription : "nothing")"
        }
        return "none"
    }
}

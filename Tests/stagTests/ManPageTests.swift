import Foundation
@testable import stag
import Testing

/// `stag man`: the roff page renders without a warning (groff with every warning on, and man-db
/// at 80 columns), holds one subsection per command with every option its `--help` lists, and
/// keeps roff's rules (no text line that roff would take for a request, every hyphen `\-`).
@Suite struct ManPageTests {
    static let groff = ShellTools.path("groff")
    static let man = ShellTools.path("man")

    static func page() throws -> String {
        let r = try StagCLI.run(["man"])
        #expect(r.status == 0 && r.stderr.isEmpty, "stderr: \(r.stderr)")
        return r.stdout
    }

    /// The commands `stag --help` lists, and each one's long options as its `--help` lists them.
    static func helpOptions() throws -> [(command: String, options: [String])] {
        let top = try StagCLI.run(["--help"]).stdout
        let section = top.components(separatedBy: "Commands:\n")[1].components(separatedBy: "\n\n")[0]
        let commands = section.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        return try commands.map { c in
            let help = try StagCLI.run([c, "--help"]).stdout
            let options = help.components(separatedBy: "Options:\n")[1].components(separatedBy: "\n\n")[0]
                .split(separator: "\n").compactMap { line in
                    line.split(separator: " ").map(String.init).first { $0.hasPrefix("--") }
                }
            return (c, options)
        }
    }

    @Test(.enabled(if: groff != nil, "groff is not installed"))
    func groffRendersWithoutWarnings() throws {
        let (file, dir) = try ShellTools.write(try Self.page(), named: "stag.1")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ShellTools.run(Self.groff!, ["-man", "-Tutf8", "-ww", "-z", file])
        #expect(r.status == 0 && r.stderr.isEmpty, "groff: \(r.stderr)")
    }

    @Test(.enabled(if: man != nil, "man (man-db) is not installed"))
    func manRendersEveryCommandAndOption() throws {
        let (file, dir) = try ShellTools.write(try Self.page(), named: "stag.1")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ShellTools.run(Self.man!, ["-l", file], environment: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat", "MAN_KEEP_FORMATTING": ""])
        #expect(r.status == 0 && r.stderr.isEmpty, "man: \(r.stderr)")
        // Overstrike bold (c\bc) and underline (_\bc) removed, as col -b would.
        let text = r.stdout.replacing(/.\x08/, with: "")
        for heading in ["NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            #expect(text.contains("\n" + heading + "\n"), "no \(heading) section")
        }
        for variable in ["STAG_DATA", "STAG_CACHE_DIR", "XDG_CACHE_HOME"] { #expect(text.contains(variable)) }
        let commands = try Self.helpOptions()
        #expect(commands.count >= 10)
        for (command, options) in commands {
            #expect(text.contains("\n   \(command)\n"), "no subsection for \(command)")
            // Hyphens render as ASCII '-' only when written \-: an option must be findable as typed.
            for option in options { #expect(text.contains(option), "\(command): \(option) missing from the page") }
        }
    }

    @Test func roffRulesAreKept() throws {
        let requests: Set<String> = ["TH", "SH", "SS", "PP", "TP", "RS", "RE", "nf", "fi", "br", "nh", "ad", "\\\""]
        let page = try Self.page()
        #expect(page.hasSuffix("\n"))
        for line in page.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(!line.hasPrefix("'"), "a text line roff takes for a request: \(line)")
            if line.hasPrefix(".") {
                let name = line.dropFirst().prefix { $0 != " " }
                #expect(requests.contains(String(name)), "unexpected request: \(line)")
                if name == "\\\"" { continue }
            }
            #expect(!line.isEmpty, "a blank line (use .PP)")
            // Every '-' escaped, every backslash starting an escape we write.
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() where b == UInt8(ascii: "-") {
                #expect(i > 0 && bytes[i - 1] == UInt8(ascii: "\\"), "unescaped hyphen in: \(line)")
            }
            #expect(line.allSatisfy { $0.isASCII }, "non-ASCII in: \(line)")
        }
    }
}

/// `Roff.escaped` and `Roff.line` on text no help holds today: each rule checked against a
/// character-by-character reference written out here.
@Suite struct RoffEscapingTests {
    @Test(arguments: [
        (".TH injected", "\\&.TH injected"),
        ("'br injected", "\\&'br injected"),
        ("a\\fBb", "a\\efBb"),
        ("--data x-y", "\\-\\-data x\\-y"),
        ("caf\u{E9} \u{2192} \u{1F600}", "caf\\[u00E9] \\[u2192] \\[u1F600]"),
        ("a,b/c", "a,\\:b/\\:c"),
        ("tab\there\u{07}", "tab here"),
        ("two\nlines", "two lines"),
        ("x.y 'z'", "x.y 'z'"),
    ])
    func line(input: String, expected: String) {
        #expect(Roff.line(input) == expected)
    }
}

import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Issue 8 item 4: data text from a hostile file (ESC sequences, BEL, CR, newlines that forge
/// report lines, bidi overrides, pipes and backticks) reaches no terminal or report raw. Every
/// command's stdout and stderr must be inert (`HumanTextReference.isInert`: no control character
/// but the line ends, no DEL, C1 or bidi control) and show each string as the slow reference
/// escapes it.
@Suite struct TerminalInjectionCLITests {
    typealias R = HumanTextReference

    static let names = [
        "Evil\u{1B}[31mRed", "Bell\u{07}", "Car\rriage", "Line\n## forged", "Rtl\u{202E}exe.txt", "Pipe|col",
        "Tick`s``", "#Hash", #"Back\slash"#, "C1\u{9B}2J", "Row|x\n| forged | row | 1 | 2 | 3 |",
    ]
    static let cloud = "Pub\u{1B}]0;pwned\u{07}lic"
    static let region = "west\u{1B}[2Jeurope"
    static let service = "Svc\r\u{202E}"
    static let feature = "API\u{1B}[0m"

    /// `names[i]` holds 192.0.2.i/32 and the shared 198.51.100.0/24; NEW moves each to 192.0.2.(100+i)
    /// and changes its region, but the first keeps its changeNumber (an anomaly warning naming it).
    static func file(new: Bool, cloud: String = cloud) -> ServiceTagsFile {
        let tags = names.enumerated().map { i, name in
            ServiceTag(name: name, id: name, changeNumber: new && i > 0 ? 2 : 1, region: new ? region + "2" : region,
                       regionId: 1, platform: "Azure", systemService: service, networkFeatures: [feature],
                       ipv4: [v4("192.0.2.\(new ? 100 + i : i)/32"), v4("198.51.100.0/24")])
        }
        return ServiceTagsFile(changeNumber: new ? 2 : 1, cloud: cloud, tags: tags)
    }

    static func v4(_ text: String) -> IPv4Prefix {
        guard case .v4(let p) = try! IPPrefix(parsing: text) else { preconditionFailure(text) }
        return p
    }

    /// A scratch directory with `old.json` and `new.json` written by the test-support JSON writer.
    static func withFiles<T>(newCloud: String = cloud, _ body: (_ old: String, _ new: String) throws -> T) throws -> T {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = dir.appendingPathComponent("old.json").path, new = dir.appendingPathComponent("new.json").path
        try Data(ServiceTagsJSONWriter().bytes(of: file(new: false))).write(to: URL(fileURLWithPath: old))
        try Data(ServiceTagsJSONWriter().bytes(of: file(new: true, cloud: newCloud))).write(to: URL(fileURLWithPath: new))
        return try body(old, new)
    }

    static func shown(_ s: String) -> String { R.escape(Array(s.utf8)) }

    /// Both streams inert, and every line as the caller counts it.
    static func expectInert(_ r: StagCLI.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.signaled, "\(what)", sourceLocation: sourceLocation)
        #expect(R.isInert(Array(r.stdoutBytes), allowNewline: true), "\(what) stdout: \(r.stdout.debugDescription)", sourceLocation: sourceLocation)
        #expect(R.isInert(Array(r.stderr.utf8), allowNewline: true), "\(what) stderr: \(r.stderr.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func tagsShowsEveryNameAndMetadataEscapedOneLineEach() throws {
        try Self.withFiles { old, _ in
            let r = try StagCLI.run(["tags", "--data", old])
            #expect(r.status == 0)
            Self.expectInert(r, "tags")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == Self.names.count + 1)
            let header = lines[lines.startIndex]
            let regionColumn = header.distance(from: header.startIndex, to: header.firstRange(of: "REGION")!.lowerBound)
            for name in Self.names {
                // The name starts its own line, and the columns after it line up on the escaped text.
                let line = lines.first { $0.hasPrefix(Self.shown(name) + " ") }
                #expect(line != nil, "\(Self.shown(name))")
                if let line {
                    #expect(line.dropFirst(regionColumn).hasPrefix(Self.shown(Self.region) + "  " + Self.shown(Self.service)
                                                                    + "  " + Self.shown(Self.feature)), "\(line)")
                }
            }
        }
    }

    @Test func lookupShowsEveryMatchingTagEscaped() throws {
        try Self.withFiles { old, _ in
            let r = try StagCLI.run(["lookup", "--data", old, "198.51.100.7"])
            #expect(r.status == 0)
            Self.expectInert(r, "lookup")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 1 + Self.names.count)
            for name in Self.names {
                #expect(lines.contains { $0.hasPrefix("  " + Self.shown(name) + " ") && $0.contains("198.51.100.0/24  " + Self.shown(Self.region)) },
                        "\(Self.shown(name))")
            }
        }
    }

    @Test func infoShowsTheCloudEscaped() throws {
        try Self.withFiles { old, _ in
            let r = try StagCLI.run(["info", "--data", old])
            #expect(r.status == 0)
            Self.expectInert(r, "info")
            #expect(r.stdout.contains("\ncloud         " + Self.shown(Self.cloud) + "\n"))
        }
    }

    @Test func textDiffShowsNamesAndMetadataEscapedAndForgesNoLine() throws {
        try Self.withFiles { old, new in
            let r = try StagCLI.run(["diff", old, new])
            #expect(r.status == 1)
            Self.expectInert(r, "diff")
            #expect(r.stdout.hasPrefix("OLD  "))
            #expect(r.stdout.contains("cloud " + Self.shown(Self.cloud) + "  changeNumber 1\n"))
            let lines = r.stdout.split(separator: "\n").map(String.init)
            for name in Self.names {
                #expect(lines.contains(Self.shown(name) + ": changed (changeNumber 1 -> \(name == Self.names[0] ? 1 : 2); +1 -1)"),
                        "\(Self.shown(name))")
            }
            #expect(lines.contains("  region: \"" + Self.shown(Self.region) + "\" -> \"" + Self.shown(Self.region + "2") + "\""))
            // Only the header, summary, blocks and their lines: no line a name made up.
            #expect(!lines.contains { $0.hasPrefix("## ") || $0.hasPrefix("| forged") })
            // The anomaly warning quotes the first name, escaped.
            #expect(r.stderr.contains("stag: warning: diff: tag " + Self.shown(Self.names[0]) + ": prefixes changed but changeNumber did not"))
        }
    }

    /// Cells separated by `|` not preceded by a backslash (GFM 4.10), as a renderer splits a row.
    static func cellCount(_ row: Substring) -> Int {
        var count = 0, previous: Character = " "
        for c in row {
            if c == "|" && previous != "\\" { count += 1 }
            previous = c
        }
        return count - 1
    }

    @Test func markdownDiffKeepsNamesInTheirCellsAndAddsNoHeadingOrRow() throws {
        try Self.withFiles { old, new in
            let r = try StagCLI.run(["diff", old, new, "--format", "markdown"])
            #expect(r.status == 1)
            Self.expectInert(r, "diff --format markdown")
            let lines = r.stdout.split(separator: "\n")
            // Headings: the title and one per tag, each opening with its name's code span.
            let headings = lines.filter { $0.hasPrefix("#") }
            #expect(headings.count == 1 + Self.names.count)
            #expect(headings.allSatisfy { $0 == "## Service tags diff" || $0.hasPrefix("### `") }, "\(headings)")
            // Table rows: each has as many cells as its header, and the tag table one row per tag.
            #expect(lines.filter { $0.hasPrefix("|") && Self.cellCount($0) == 3 }.count == 5 + 4)  // files and address tables
            let tagRows = lines.filter { $0.hasPrefix("| `") && $0.contains(" | changed | ") }
            #expect(tagRows.count == Self.names.count)
            #expect(tagRows.allSatisfy { Self.cellCount($0) == 5 }, "\(tagRows)")
            #expect(lines.filter { $0.hasPrefix("|") }.count == 5 + 3 + 4 + 2 + Self.names.count)
            #expect(r.stdout.contains("| Cloud | `" + Self.shown(Self.cloud) + "` | `" + Self.shown(Self.cloud) + "` |"))
            #expect(r.stdout.contains("| `" + Self.shown("Pipe|col").replacing("|", with: "\\|") + "` | changed |"))
        }
    }

    @Test func errorsAndWarningsQuoteDataEscaped() throws {
        try Self.withFiles(newCloud: "China\u{1B}[8m") { old, new in
            let lookup = try StagCLI.run(["lookup", "--data", old, "--tag", "Bell\u{07}x", "192.0.2.1"])
            #expect(lookup.status == 2)
            Self.expectInert(lookup, "lookup --tag")
            #expect(lookup.stderr.contains(#"unknown tag 'Bell\x07x'; did you mean 'Bell\x07'?"#))

            let diffTag = try StagCLI.run(["diff", old, old, "--tag", "Car\rriag\u{1B}"])
            #expect(diffTag.status == 2)
            let glob = try StagCLI.run(["diff", old, old, "--tag", "Evil\u{1B}[31mRe"])  // a glob: [31m is a class
            #expect(glob.status == 2)
            Self.expectInert(glob, "diff --tag GLOB")
            #expect(glob.stderr.contains(#"no tag in OLD or NEW matches 'Evil\x1b[31mRe'"#))
            Self.expectInert(diffTag, "diff --tag")
            #expect(diffTag.stderr.contains(#"stag: diff: unknown tag 'Car\rriag\x1b' (in neither OLD nor NEW); did you mean 'Car\rriage'?"#))

            let clouds = try StagCLI.run(["diff", old, new])
            #expect(clouds.status == 2)
            Self.expectInert(clouds, "diff of two clouds")
            #expect(clouds.stderr.contains("cloud '" + Self.shown(Self.cloud) + "' but NEW is from cloud '" + #"China\x1b[8m'"#))

            let address = try StagCLI.run(["lookup", "--data", old, "192.0.2.1\u{1B}[2J"])
            #expect(address.status == 2)
            Self.expectInert(address, "lookup of a bad address")

            let export = try StagCLI.run(["export", "Rtl\u{202E}", "--data", old])
            #expect(export.status == 2)
            Self.expectInert(export, "export of an unknown tag")
            #expect(export.stderr.contains(#"unknown tag 'Rtl\u{202E}'"#))
        }
    }
}

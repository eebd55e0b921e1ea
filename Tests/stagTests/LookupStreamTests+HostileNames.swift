import Foundation
import Testing
import ServiceTags
import ServiceTagsTestSupport

/// `stag lookup -` when the file's names, regions, services and features hold what a hostile
/// mirror could put there: the per-tag cells and JSON pieces are escaped once and copied per
/// address, so each escape rule is checked here against `StreamReference`'s own escaping, from
/// the JSON file and from its compiled index.
extension LookupStreamTests {
    /// Text no escape may pass raw: quote, backslash, C0 controls, DEL, C1, a bidi override,
    /// U+2028/U+2029, and non-ASCII of several widths (a combining mark, an emoji). Not NUL: the
    /// reader refuses it in any string.
    static let hostile = ["\"", "\\", "\u{1B}[31m", "\n", "\r\n", "\t", "\u{7F}", "\u{85}", "\u{202E}", "\u{2028}", "\u{2029}",
                          "é", "e\u{301}", "😀", "\u{1}"]

    static func hostileTags() -> [ServiceTag] {
        Self.tags.enumerated().map { i, tag in
            var t = tag
            let h = Self.hostile[i % Self.hostile.count], k = Self.hostile[(i + 5) % Self.hostile.count]
            t.name = "\(tag.name)\(h)"
            t.region = i % 3 == 0 ? "" : "\(k)\(tag.region)"
            t.systemService = i % 4 == 0 ? "" : "svc\(h)\(k)"
            t.networkFeatures = i % 5 == 0 ? nil : ["API\(k)", "NSG", "\(h)"]
            return t
        }
    }

    @Test func escapesHostileMetadataAsTheReference() throws {
        let tags = Self.hostileTags()
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-hostile-stream")
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("hostile.json").path, compiled = dir.appendingPathComponent("hostile.stagidx").path
        try Data(ServiceTagsJSONWriter().bytes(of: ServiceTagsFile(changeNumber: 1, cloud: "Public", tags: tags))).write(to: URL(fileURLWithPath: json))
        let compile = try StagCLI.run(["compile", "--data", json, "-o", compiled])
        #expect(compile.status == 0, "\(compile.stderr)")
        #expect(compile.stderr.isEmpty, "\(compile.stderr)")
        let input = Self.input(seed: 23, lines: 2_000, huge: false)
        for asJSON in [false, true] {
            let expected = StreamReference.lookup(input, tags: tags, json: asJSON)
            #expect(expected.matched)
            for data in [json, compiled] {
                let r = try StagCLI.run(["lookup", "--data", data, "-"] + (asJSON ? ["--json"] : []), stdin: .bytes(Data(input)))
                #expect(r.status == expected.status)
                #expect(r.stdout == expected.stdout, "\(data) json \(asJSON): first difference at line \(Self.firstDifference(r.stdout, expected.stdout)); stderr \(r.stderr.prefix(300))")
            }
        }
    }
}

import Foundation
import Testing

/// Issue 8, hostile-input matrix: files an attacker can hand `stag info --data FILE`, each with its
/// exact one-line error (file, line:column, byte offset, JSON path, tag, message) and exit 2, and
/// no crash. Inputs are generated here (nothing large committed); `Fixtures/reader/malformed` and
/// `ReaderMalformedTests` cover the same ground at the library level.
///
/// Each case's text marks the expected error position with `§` (removed before writing); the
/// line and column are counted from the text here, independently of the reader. `«FF»` stands for
/// the raw byte 0xFF (and `«FE»`, `«EF»`, `«BB»`, `«BF»` likewise).
struct HostileCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    /// The error after `FILE:line:column (byte offset): `.
    var message: String
    var testDescription: String { name }
}

/// A one-line, one-tag document with `value` (which may carry the `§` marker) in place of `field`.
private func doc(_ field: String, _ value: String) -> String {
    func v(_ name: String, _ normal: String) -> String { name == field ? value : normal }
    return #"{"changeNumber": "# + v("changeNumber", "1") + #", "cloud": "# + v("cloud", #""Public""#)
        + #", "values": "# + v("values", #"[{"name": "# + v("name", #""A""#) + #", "id": "# + v("id", #""A""#)
        + #", "properties": "# + v("properties", #"{"changeNumber": "# + v("pchangeNumber", "2") + #", "region": "#
        + v("region", #""westeurope""#) + #", "regionId": "# + v("regionId", "0") + #", "platform": "#
        + v("platform", #""Azure""#) + #", "systemService": "# + v("systemService", #""S""#)
        + #", "addressPrefixes": "# + v("addressPrefixes", "[" + v("prefix", #""192.0.2.0/24""#) + "]")
        + #", "networkFeatures": "# + v("networkFeatures", "[" + v("feature", #""API""#) + "]") + "}") + "}]") + "}"
}

private let p = "values[0].properties"

private let hostileCases: [HostileCase] = [
    // Nothing, or nothing but framing.
    HostileCase(name: "empty file", text: "§", message: "unexpected end of input (truncated file?)"),
    HostileCase(name: "only a byte order mark", text: "«EF»«BB»«BF»§", message: "unexpected end of input (truncated file?)"),
    HostileCase(name: "only whitespace", text: " \r\n\t\n  §", message: "unexpected end of input (truncated file?)"),
    HostileCase(name: "two byte order marks", text: "«EF»«BB»«BF»§«EF»«BB»«BF»{}", message: "unexpected byte 0xEF, expected an object"),
    HostileCase(name: "UTF-16 byte order mark", text: "§«FE»«FF»{}", message: "unexpected byte 0xFE, expected an object"),
    // Valid JSON that is not the schema.
    HostileCase(name: "top-level array", text: "§[]", message: "expected an object, found an array"),
    HostileCase(name: "top-level string", text: #"§"x""#, message: "expected an object, found a string"),
    HostileCase(name: "top-level null", text: "§null", message: "expected an object, found null"),
    HostileCase(name: "top-level number", text: "§42", message: "expected an object, found a number"),
    HostileCase(name: "empty object", text: "§{}", message: #"missing required key "values""#),
    HostileCase(name: "entry not an object", text: #"{"values": [§1]}"#, message: "values[0]: expected an object, found a number"),
    HostileCase(name: "entry without name", text: #"{"values": [§{"properties": {"addressPrefixes": []}}]}"#,
                message: #"values[0]: missing required key "name""#),
    HostileCase(name: "entry without properties", text: #"{"values": [§{"name": "A"}]}"#,
                message: #"values[0] (A): missing required key "properties""#),
    HostileCase(name: "properties without addressPrefixes", text: #"{"values": [{"name": "A", "properties": §{}}]}"#,
                message: #"values[0].properties (A): missing required key "addressPrefixes""#),
    // Every schema field with the wrong type.
    HostileCase(name: "changeNumber a word", text: doc("changeNumber", #"§"abc""#), message: "changeNumber: expected an integer, found a string"),
    HostileCase(name: "cloud a number", text: doc("cloud", "§5"), message: "cloud: expected a string, found a number"),
    HostileCase(name: "values an object", text: doc("values", "§{}"), message: "values: expected an array, found an object"),
    HostileCase(name: "name a number", text: doc("name", "§5"), message: "values[0].name: expected a string, found a number"),
    HostileCase(name: "id an array", text: doc("id", "§[]"), message: "values[0].id (A): expected a string, found an array"),
    HostileCase(name: "properties a string", text: doc("properties", #"§"x""#),
                message: "values[0].properties (A): expected an object, found a string"),
    HostileCase(name: "entry changeNumber a boolean", text: doc("pchangeNumber", "§true"),
                message: "\(p).changeNumber (A): expected an integer, found a boolean"),
    HostileCase(name: "region a number", text: doc("region", "§1"), message: "\(p).region (A): expected a string, found a number"),
    HostileCase(name: "regionId a fraction", text: doc("regionId", "§1.5"), message: "\(p).regionId (A): expected an integer, found a number"),
    HostileCase(name: "platform an object", text: doc("platform", "§{}"), message: "\(p).platform (A): expected a string, found an object"),
    HostileCase(name: "systemService an array", text: doc("systemService", "§[]"),
                message: "\(p).systemService (A): expected a string, found an array"),
    HostileCase(name: "addressPrefixes a string", text: doc("addressPrefixes", #"§"192.0.2.0/24""#),
                message: "\(p).addressPrefixes (A): expected an array, found a string"),
    HostileCase(name: "prefix null", text: doc("prefix", "§null"), message: "\(p).addressPrefixes[0] (A): expected a string, found null"),
    HostileCase(name: "networkFeatures a string", text: doc("networkFeatures", #"§"API""#),
                message: "\(p).networkFeatures (A): expected an array, found a string"),
    HostileCase(name: "feature a number", text: doc("feature", "§1"), message: "\(p).networkFeatures[0] (A): expected a string, found a number"),
    // Numbers.
    HostileCase(name: "1,000-digit changeNumber", text: doc("changeNumber", "§" + String(repeating: "7", count: 1000)),
                message: "changeNumber: number out of range"),
    HostileCase(name: "5,000-digit changeNumber", text: doc("changeNumber", "§" + String(repeating: "7", count: 5000)),
                message: "changeNumber: number longer than 4096 bytes"),
    HostileCase(name: "regionId below Int.min", text: doc("regionId", "§-9223372036854775809"), message: "\(p).regionId (A): number out of range"),
    HostileCase(name: "NaN", text: doc("changeNumber", "§NaN"), message: "changeNumber: unexpected character 'N', expected an integer"),
    HostileCase(name: "bare minus", text: doc("changeNumber", "§-"), message: "changeNumber: invalid number"),
    HostileCase(name: "leading zero under an unknown key", text: #"{"x": §012, "values": []}"#, message: "x: invalid number"),
    // Strings: prefixes and names.
    HostileCase(name: "empty prefix", text: doc("prefix", #"§"""#), message: #"\#(p).addressPrefixes[0] (A): "": empty"#),
    HostileCase(name: "10,000-character prefix", text: doc("prefix", "§\"" + String(repeating: "1", count: 10_000) + "\""),
                message: "\(p).addressPrefixes[0] (A): string longer than 4096 bytes"),
    HostileCase(name: "host bits set", text: doc("prefix", #"§"192.0.2.1/24""#),
                message: #"\#(p).addressPrefixes[0] (A): "192.0.2.1/24": host bits set; did you mean 192.0.2.0/24?"#),
    HostileCase(name: "invalid UTF-8 in a name", text: doc("name", "\"A§«FF»\""), message: "values[0].name: invalid UTF-8 in string"),
    HostileCase(name: "NUL in a name", text: doc("name", #"§"A\u0000B""#), message: #"values[0].name: NUL character (\u0000) in string"#),
    HostileCase(name: "lone surrogate in a name", text: doc("name", #""A§\ud800""#),
                message: #"values[0].name: unpaired UTF-16 surrogate in \u escape"#),
    HostileCase(name: "4,097-byte name", text: doc("name", "§\"" + String(repeating: "N", count: 4097) + "\""),
                message: "values[0].name: string longer than 4096 bytes"),
    HostileCase(name: "4,097-byte unknown key", text: "{§\"" + String(repeating: "k", count: 4097) + #"": 1, "values": []}"#,
                message: "string longer than 4096 bytes"),
    HostileCase(name: "raw tab in a region", text: doc("region", "\"west§\teurope\""),
                message: "\(p).region (A): unescaped control character byte 0x09 in string"),
    HostileCase(name: "invalid escape in a region", text: doc("region", #""west§\qeurope""#),
                message: #"\#(p).region (A): invalid escape sequence '\q'"#),
    // Structure.
    HostileCase(name: "duplicate top-level key", text: #"{"changeNumber": 1, §"changeNumber": 2, "values": []}"#,
                message: #"duplicate key "changeNumber""#),
    HostileCase(name: "duplicate entry key", text: #"{"values": [{"name": "A", §"name": "B", "properties": {"addressPrefixes": []}}]}"#,
                message: #"values[0] (A): duplicate key "name""#),
    HostileCase(name: "duplicate properties key", text: doc("regionId", #"0, §"region": "x""#),
                message: #"\#(p) (A): duplicate key "region""#),
    HostileCase(name: "repeated tag", text: #"{"values": [{"name": "A", "properties": {"addressPrefixes": []}}, {"name": §"A", "properties": {"addressPrefixes": []}}]}"#,
                message: #"values[1].name (A): duplicate tag name "A""#),
    HostileCase(name: "100,000 nested arrays under an unknown key",
                text: #"{"junk": "# + String(repeating: "[", count: 511) + "§" + String(repeating: "[", count: 100_000 - 511),
                message: "junk: nesting deeper than 512 levels"),
    HostileCase(name: "100,000 nested objects under an unknown key",
                text: #"{"junk": "# + String(repeating: #"{"a": "#, count: 511) + "§" + String(repeating: #"{"a": "#, count: 100_000 - 511),
                message: "junk: nesting deeper than 512 levels"),
    HostileCase(name: "trailing garbage", text: #"{"values": []} §x"#, message: "unexpected character 'x' after the end of the document"),
    HostileCase(name: "trailing comma", text: #"{"values": [§]"#.replacingOccurrences(of: "[§]", with: "[{\"name\": \"A\", \"properties\": {\"addressPrefixes\": []}},§]}"),
                message: "values: trailing comma before the closing bracket"),
    HostileCase(name: "cut inside a name", text: #"{"values": [{"name": "AB§"#, message: "values[0].name: unexpected end of input (truncated file?)"),
    HostileCase(name: "endless unknown string, cut", text: #"{"junk": ""# + String(repeating: "z", count: 100_000) + "§",
                message: "junk: unexpected end of input (truncated file?)"),
]

/// Hostile but valid: read, exit 0. A strict reader still accepts what the grammar and schema
/// allow: a long number it only skips (never kept, so never a range question), CRLF line ends
/// mixed with LF (only LF counts lines), deep-but-capped nesting, many tags.
private let acceptedCases: [(String, String)] = [
    ("1,000-digit number under an unknown key", #"{"x": -"# + String(repeating: "9", count: 1000) + #".5e-999, "values": []}"#),
    ("mixed CRLF and LF", doc("cloud", "\r\n\"Public\"\n").replacingOccurrences(of: ", ", with: ",\r\n")),
    ("510 nested arrays under an unknown key", #"{"x": "# + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + #", "values": []}"#),
    ("4,096-byte name", doc("name", "\"" + String(repeating: "N", count: 4096) + "\"")),
    ("20,000 tags", #"{"values": ["# + (0..<20_000).map { #"{"name": "T\#($0)", "properties": {"addressPrefixes": ["10.0.0.0/8"]}}"# }.joined(separator: ",") + "]}"),
]

@Suite("Hostile input matrix (CLI)")
struct HostileInputCLITests {
    static let rawBytes: [(String, UInt8)] = [("«FF»", 0xFF), ("«FE»", 0xFE), ("«EF»", 0xEF), ("«BB»", 0xBB), ("«BF»", 0xBF)]

    /// The bytes of `text` (raw-byte placeholders resolved) and the byte offset of its `§`.
    static func bytes(_ text: String) -> (bytes: [UInt8], mark: Int?) {
        var out: [UInt8] = []
        var mark: Int?
        var rest = Substring(text)
        outer: while let ch = rest.first {
            if ch == "§" {
                mark = out.count
                rest = rest.dropFirst()
                continue
            }
            for (token, byte) in rawBytes where rest.hasPrefix(token) {
                out.append(byte)
                rest = rest.dropFirst(token.count)
                continue outer
            }
            out.append(contentsOf: String(ch).utf8)
            rest = rest.dropFirst()
        }
        return (out, mark)
    }

    /// `line:column (byte offset)` of `offset`, counted here: LF ends a line, columns are bytes,
    /// a leading byte order mark is not a column.
    static func location(_ bytes: [UInt8], _ offset: Int) -> String {
        var line = 1, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        if line == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) && offset >= 3 { lineStart = 3 }
        return "\(line):\(offset - lineStart + 1) (byte \(offset))"
    }

    static func withFile<R>(_ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("h.json").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    @Test func matrixHasAtLeastFortyCases() {
        #expect(hostileCases.count >= 40)
        #expect(Set(hostileCases.map(\.name)).count == hostileCases.count)
    }

    @Test(arguments: hostileCases)
    func exactErrorExitTwo(_ c: HostileCase) throws {
        let (bytes, mark) = Self.bytes(c.text)
        let offset = try #require(mark, "\(c.name): no § in the case text")
        try Self.withFile(bytes) { path in
            let r = try StagCLI.run(["info", "--data", path])
            #expect(!r.signaled, "\(c.name): killed by signal \(r.status)")
            #expect(r.status == 2, "\(c.name): exit \(r.status)")
            #expect(r.stdout.isEmpty, "\(c.name)")
            #expect(r.stderr == "stag: info: \(path):\(Self.location(bytes, offset)): \(c.message)\n", "\(c.name)")
        }
    }

    @Test(arguments: acceptedCases.map(\.0))
    func hostileButValidIsRead(_ name: String) throws {
        let text = try #require(acceptedCases.first { $0.0 == name }).1
        try Self.withFile(Self.bytes(text).bytes) { path in
            let r = try StagCLI.run(["info", "--data", path])
            #expect(r.status == 0 && !r.signaled, "\(name): exit \(r.status): \(r.stderr)")
        }
    }
}

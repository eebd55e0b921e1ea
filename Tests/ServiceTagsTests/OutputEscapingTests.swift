import Foundation
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The machine formats' escaping of data text (issue 8 item 4): JSON strings carry no raw control
/// character, and a CSV cell cannot start a spreadsheet formula.
@Suite struct OutputEscapingTests {
    /// Every ASCII scalar, C1's NEL, the Unicode line breaks and RLO, alone and between letters.
    static let jsonInputs: [String] = (0...0x7F).map { String(UnicodeScalar(UInt8($0))) }
        + ["\u{85}", "\u{2028}", "\u{2029}", "\u{202E}", "a\u{7F}b\u{2028}c\u{1B}[0m\"\\/é😀"]

    /// Both JSON string writers: the library's exports and manifest (`ExportText`) and the CLI's
    /// (`JSONValue.writeString`, behind `JSONText`).
    static func writers(_ s: String) -> [String] {
        var text = ExportText()
        text.write(jsonString: s)
        var string = ""
        JSONValue.writeString(s, to: &string)
        return [String(decoding: text.bytes, as: UTF8.self), string]
    }

    @Test(arguments: jsonInputs)
    func jsonStringsEscapeEveryControlAndDELAndReadBack(_ s: String) throws {
        for literal in Self.writers(s) {
            let bytes = Array(literal.utf8)
            // No C0, no DEL, no raw U+2028/U+2029 (E2 80 A8/A9) in what a terminal or a JS parser meets.
            #expect(!bytes.contains { $0 < 0x20 || $0 == 0x7F }, "\(literal.debugDescription)")
            #expect(!literal.unicodeScalars.contains { $0.value == 0x2028 || $0.value == 0x2029 }, "\(literal.debugDescription)")
            // And it is the same string to an independent JSON parser.
            let decoded = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed) as? String
            #expect(decoded == s, "\(literal.debugDescription)")
        }
    }

    @Test func jsonWritesDELAndLineSeparatorsAsUnicodeEscapes() {
        for literal in Self.writers("\u{7F}\u{2028}\u{2029}") { #expect(literal == #""\u007f\u2028\u2029""#) }
    }

    /// OWASP "CSV Injection": a cell starting with `=`, `+`, `-`, `@`, TAB, CR or LF gets a `'`
    /// first (and quotes when it holds a line break).
    @Test(arguments: [
        ("\t=HYPERLINK(\"x\")", "\"'\t=HYPERLINK(\"\"x\"\")\""),
        ("\t@SUM(A1)", "'\t@SUM(A1)"),
        ("\r=1+1", "\"'\r=1+1\""),
        ("\n-2", "\"'\n-2\""),
        ("=1+1", "'=1+1"),
        ("@x", "'@x"),
        ("A\t=1", "A\t=1"),
    ])
    func csvCellsThatASpreadsheetMayTakeForAFormulaArePrefixed(_ text: String, _ expected: String) {
        #expect(CSVFormat.field(text) == expected)
    }
}

import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `HumanText`, the escaping of data text for terminals and reports (issue 8 item 4), against
/// hand-written expectations and the slow `HumanTextReference`.
@Suite struct HumanTextTests {
    typealias R = HumanTextReference

    struct Case: Sendable, CustomStringConvertible {
        var input: [UInt8]
        var expected: String
        init(_ input: [UInt8], _ expected: String) { (self.input, self.expected) = (input, expected) }
        init(_ input: String, _ expected: String) { self.init(Array(input.utf8), expected) }
        var description: String { input.map { String($0, radix: 16) }.joined(separator: " ") }
    }

    /// Each line is one rule of the table in `HumanText.swift`; the expected text is written out.
    static let cases: [Case] = [
        Case("AzureCloud.eastus", "AzureCloud.eastus"),           // nothing to escape
        Case("Evil\u{1B}[31mRed", #"Evil\x1b[31mRed"#),          // ESC: colours
        Case("\u{1B}]0;pwned\u{07}", #"\x1b]0;pwned\x07"#),      // OSC window title, BEL
        Case("a\u{0}b", #"a\x00b"#),                              // NUL
        Case("\u{1F}\u{7F}", #"\x1f\x7f"#),                       // last C0, DEL
        Case("Line\n## forged", #"Line\n## forged"#),             // LF forges a report line
        Case("Car\rriage\tTab", #"Car\rriage\tTab"#),             // CR, TAB
        Case(#"back\slash"#, #"back\\slash"#),                    // backslash doubled...
        Case(#"\x1b"#, #"\\x1b"#),                                // ...so an escape is never ambiguous
        Case("\u{80}\u{85}\u{9B}\u{9F}", #"\u{80}\u{85}\u{9B}\u{9F}"#),  // C1 (U+009B is CSI)
        Case("\u{A0}é中😀", "\u{A0}é中😀"),                        // printable non-ASCII stays
        Case("Rtl\u{202E}txt.exe", #"Rtl\u{202E}txt.exe"#),       // RLO
        Case("\u{202A}\u{202B}\u{202C}\u{202D}", #"\u{202A}\u{202B}\u{202C}\u{202D}"#),  // LRE RLE PDF LRO
        Case("\u{2066}\u{2067}\u{2068}\u{2069}", #"\u{2066}\u{2067}\u{2068}\u{2069}"#),  // isolates
        Case("\u{200E}\u{200F}\u{61C}", #"\u{200E}\u{200F}\u{61C}"#),  // LRM RLM ALM
        Case("\u{2028}\u{2029}", #"\u{2028}\u{2029}"#),           // Unicode line breaks
        Case("\u{2027}\u{202F}\u{2065}\u{206A}\u{200D}", "\u{2027}\u{202F}\u{2065}\u{206A}\u{200D}"),  // neighbours stay
        Case([0xFF], #"\xff"#),                                   // never in UTF-8
        Case([0x80, 0x41], #"\x80A"#),                            // lone continuation byte
        Case([0xC0, 0xAF], #"\xc0\xaf"#),                         // overlong '/'
        Case([0xC1, 0x9B], #"\xc1\x9b"#),                         // overlong CSI
        Case([0xE0, 0x80, 0xAF], #"\xe0\x80\xaf"#),               // overlong, 3 bytes
        Case([0xF0, 0x80, 0x80, 0xAF], #"\xf0\x80\x80\xaf"#),     // overlong, 4 bytes
        Case([0xED, 0xA0, 0x80], #"\xed\xa0\x80"#),               // UTF-16 surrogate
        Case([0xF4, 0x90, 0x80, 0x80], #"\xf4\x90\x80\x80"#),     // above U+10FFFF
        Case([0xF5, 0x80], #"\xf5\x80"#),                         // lead byte F5
        Case([0xE2, 0x80], #"\xe2\x80"#),                         // cut short (RLO's first two bytes)
        Case([0xE2, 0x80, 0x41], #"\xe2\x80A"#),                  // broken by ASCII
        Case([0xF0, 0x9F, 0x98], #"\xf0\x9f\x98"#),               // an emoji cut short
        Case([0xC2], #"\xc2"#),                                   // C1's lead byte at the end
    ]

    @Test(arguments: cases)
    func escapesEachKindAsDocumented(_ c: Case) {
        #expect(HumanText.escaped(bytes: c.input) == c.expected)
        #expect(R.escape(c.input) == c.expected, "the reference disagrees with the table")
        #expect(R.unescape(c.expected) == c.input)
        if let s = String(validating: c.input, as: UTF8.self) {
            #expect(HumanText.escaped(s) == c.expected)
            #expect(HumanText.needsEscaping(s) == (c.expected != s))
        }
    }

    /// Bytes drawn mostly from the troublesome ones (controls, backslash, UTF-8 lead and
    /// continuation bytes, pieces of the escaped scalars), so that valid and broken multi-byte
    /// sequences both occur often.
    static func randomBytes(_ rng: inout SplitMix64) -> [UInt8] {
        let pieces: [[UInt8]] = [[0x1B], [0x07], [0x0A], [0x0D], [0x09], [0x00], [0x7F], [0x5C], [0x78], [0x75], [0x7B], [0x7D],
                                 [0x41], [0x20], [0xC2], [0x85], [0x9B], [0xA0], [0xE2], [0x80], [0xAE], [0xA8], [0x81], [0xA6],
                                 [0xD8, 0x9C], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA9], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80],
                                 [0xED, 0xA0, 0x80], [0xF4, 0x90], [0xFF], [0xC0], [0xE0], [0xF0], [0x90], [0xBF]]
        var out: [UInt8] = []
        for _ in 0..<rng.int(in: 0...24) { out += pieces[rng.int(in: 0...(pieces.count - 1))] }
        return out
    }

    @Test func randomBytesEscapeLikeTheReferenceAndRoundTrip() {
        var rng = SplitMix64(seed: 0x5EED_7E87)
        for _ in 0..<3_000 {
            let input = Self.randomBytes(&rng)
            let escaped = HumanText.escaped(bytes: input)
            #expect(escaped == R.escape(input), "\(input)")
            #expect(R.isInert(Array(escaped.utf8)), "\(input)")
            #expect(R.unescape(escaped) == input, "\(input)")
            if let s = String(validating: input, as: UTF8.self) {
                #expect(HumanText.escaped(s) == escaped)
                #expect(HumanText.needsEscaping(s) == (escaped != s))
                // The whole-message guard: inert too, and only backslashes are left as they were.
                let sanitized = HumanText.sanitized(s)
                #expect(R.isInert(Array(sanitized.utf8)), "\(input)")
                #expect(sanitized == s.unicodeScalars.map { $0 == "\\" ? "\\" : R.escape(scalar: $0) }.joined(), "\(input)")
            }
        }
    }

    @Test func sanitizedKeepsBackslashesAndEscapesTheRest() {
        #expect(HumanText.sanitized(#"\u must be followed by four hex digits"#) == #"\u must be followed by four hex digits"#)
        #expect(HumanText.sanitized("tag 'A\u{1B}[2J\\': x\u{202E}") == #"tag 'A\x1b[2J\': x\u{202E}"#)
    }

    // MARK: markdown

    /// The text a CommonMark renderer shows for an inline code span (CommonMark 6.1), after GFM's
    /// table cell splitting turned `\|` back into `|`; nil if `span` is not one code span.
    static func renderedCodeSpan(_ span: String, inTableCell: Bool) -> String? {
        var s = Array(span)
        if inTableCell {
            // GFM 4.10: a cell ends at a `|` not preceded by a backslash.
            for (i, c) in s.enumerated() where c == "|" && (i == 0 || s[i - 1] != "\\") { return nil }
            s = Array(String(s).replacing("\\|", with: "|"))
        }
        let fence = s.prefix { $0 == "`" }.count
        guard fence > 0, s.count > 2 * fence, s.suffix(fence).allSatisfy({ $0 == "`" }), s[s.count - fence - 1] != "`" else { return nil }
        var body = Array(s[fence..<(s.count - fence)])
        // No run of exactly `fence` backticks inside, or the span would close early.
        var i = 0
        while i < body.count {
            guard body[i] == "`" else { i += 1; continue }
            let run = body[i...].prefix { $0 == "`" }.count
            if run == fence { return nil }
            i += run
        }
        if body.first == " " && body.last == " " && body.contains(where: { $0 != " " }) { body = Array(body.dropFirst().dropLast()) }
        return String(body)
    }

    @Test func markdownCodeSpansShowTheEscapedTextAndStayInTheirCell() {
        var rng = SplitMix64(seed: 0x3D)
        let alphabet: [String] = ["`", "``", "|", "\\", " ", "#", "\n", "a", "*", "<b>", "[x](y)", "\u{202E}", "\u{1B}"]
        var texts = ["|", "`", " ", "  ", "a ", " a", "` `", "# heading", "x\n## forged", "a|b|c", "``a``"]
        for _ in 0..<2_000 { texts.append((0..<rng.int(in: 1...10)).map { _ in alphabet[rng.int(in: 0...(alphabet.count - 1))] }.joined()) }
        for text in texts {
            for inTable in [true, false] {
                let span = HumanText.markdownCode(text, inTableCell: inTable)
                #expect(!span.contains("\n") && R.isInert(Array(span.utf8)), "\(text)")
                #expect(Self.renderedCodeSpan(span, inTableCell: inTable) == R.escape(Array(text.utf8)), "\(text) -> \(span)")
            }
        }
        #expect(HumanText.markdownCode("", inTableCell: true) == "(empty)")
    }
}

/// Data text made safe to show to people: on a terminal, in a text report, in an error message.
///
/// Names, regions, services, features and the cloud come from a file downloaded from the internet
/// or a mirror. Printed raw, an ESC sequence recolours the terminal or sets its title, a CR or LF
/// forges report lines, BEL rings, and a bidirectional override (U+202E) makes `evil.exe` read as
/// `exe.live`. Every human-facing output passes data text through `escaped(_:)` first; JSON output
/// escapes as JSON does instead, and markdown adds its own layer (`HumanText+Markdown.swift`).
///
/// The escapes, all printable ASCII:
///
/// | Input                                               | Written as                     |
/// |-----------------------------------------------------|--------------------------------|
/// | `\` (0x5C)                                          | `\\`                           |
/// | LF, CR, TAB                                         | `\n`, `\r`, `\t`               |
/// | other C0 (0x00-0x1F) and DEL (0x7F)                 | `\x1b`: two lower-case hex digits |
/// | C1 (U+0080-U+009F, UTF-8 `C2 80`-`C2 9F`)           | `\u{85}`: upper-case hex, no padding |
/// | bidi marks, embeddings, overrides and isolates: U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 | `\u{202E}` |
/// | line and paragraph separators U+2028, U+2029 (line breaks to some viewers) | `\u{2028}` |
/// | a byte that is not part of well-formed UTF-8 (RFC 3629: overlong, surrogate, above U+10FFFF, cut short) | `\xff`, one per byte |
/// | anything else                                       | unchanged                      |
///
/// Reversible: every backslash in the output starts one of these escapes, so the original bytes
/// can be read back exactly (the tests' `HumanTextReference.unescape`). The output is well-formed
/// UTF-8 with no byte below 0x20, no 0x7F, no C1 control and none of the scalars above.
public enum HumanText {
    /// `text` with the escapes above; `text` itself (no copy) when nothing needs escaping, which
    /// is every name in Microsoft's files.
    /// - Complexity: O(n) in the UTF-8 length.
    public static func escaped(_ text: String) -> String {
        guard needsEscaping(text) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        escape(text.utf8.span, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `message` with every escape above except the backslash's: for a whole error or warning
    /// line that the tool wrote itself and may legitimately hold backslashes (`\u must be
    /// followed by four hex digits`), as the last guard before stderr. Data text inside a
    /// message is escaped with `escaped(_:)` where it is quoted, so it stays unambiguous; this
    /// makes sure nothing that slipped through reaches the terminal raw.
    /// - Complexity: O(n).
    public static func sanitized(_ message: String) -> String {
        guard needsEscaping(message, backslash: false) else { return message }
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count + 16)
        escape(message.utf8.span, into: &out, backslash: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// `bytes` (any bytes, not necessarily UTF-8: a path, a line of a log) escaped as above.
    /// - Complexity: O(n).
    public static func escaped(bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        escape(bytes.span, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `escaped(_:)` would change `text`: a quick pass over plain ASCII, the exact test
    /// only for bytes at or above 0x80.
    /// - Complexity: O(n).
    public static func needsEscaping(_ text: String, backslash: Bool = true) -> Bool {
        // Over the contiguous bytes of a native string when there are (a plain loop: iterating
        // `utf8` costs several times more per byte, and every cell a stream prints comes here).
        let scan = text.utf8.withContiguousStorageIfAvailable { bytes -> (control: Bool, high: Bool) in
            var high: UInt8 = 0
            for b in bytes {
                if b < 0x20 || b == 0x7F || (b == 0x5C && backslash) { return (true, false) }
                high |= b
            }
            return (false, high >= 0x80)
        }
        if let scan {
            if scan.control { return true }
            if !scan.high { return false }
            return text.unicodeScalars.contains { isEscapedScalar($0.value) }
        }
        var sawHigh = false
        for b in text.utf8 {
            if b < 0x20 || b == 0x7F || (b == 0x5C && backslash) { return true }
            if b >= 0x80 { sawHigh = true }
        }
        guard sawHigh else { return false }
        // A Swift String is always well-formed UTF-8, so only the escaped scalars are left to find.
        return text.unicodeScalars.contains { isEscapedScalar($0.value) }
    }

    /// Appends `bytes` escaped as above to `out`.
    ///
    /// One pass; a byte of 0x80 or more is taken with the bytes RFC 3629's table allows after it
    /// as one scalar, or escaped alone when they do not form one (so the scan resumes at the next
    /// byte, and every byte is either copied or escaped exactly once).
    /// - Parameter backslash: false leaves `\` as is (`sanitized(_:)`).
    /// - Complexity: O(n).
    public static func escape(_ bytes: Span<UInt8>, into out: inout [UInt8], backslash: Bool = true) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                switch b {
                case 0x5C:
                    out.append(0x5C)
                    if backslash { out.append(0x5C) }
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0..<0x20, 0x7F: appendByteEscape(b, to: &out)
                default: out.append(b)
                }
                i &+= 1
                continue
            }
            guard let (scalar, length) = decode(bytes, at: i) else {
                appendByteEscape(b, to: &out)
                i &+= 1
                continue
            }
            if isEscapedScalar(scalar) {
                appendScalarEscape(scalar, to: &out)
            } else {
                for k in i..<(i &+ length) { out.append(bytes[k]) }
            }
            i &+= length
        }
    }

    /// Whether a well-formed scalar is written as `\u{...}`: C1 controls, the bidirectional
    /// formatting characters (Unicode UAX #9, section 2: marks, embeddings, overrides, isolates)
    /// and the two Unicode line breaks.
    @inlinable public static func isEscapedScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The scalar starting at `i` (whose byte is 0x80 or more) and its length in bytes, if the
    /// bytes there are well-formed UTF-8 (RFC 3629, section 4: no overlong form, no surrogate,
    /// nothing above U+10FFFF, no sequence cut short).
    static func decode(_ bytes: Span<UInt8>, at i: Int) -> (UInt32, Int)? {
        let lead = bytes[i]
        // The allowed range of the second byte and the sequence length, per the lead byte.
        let length: Int, low: UInt8, high: UInt8
        switch lead {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        default: return nil  // a continuation byte, C0, C1 (overlong) or F5-FF
        }
        guard bytes.count &- i >= length else { return nil }
        let second = bytes[i &+ 1]
        guard second >= low && second <= high else { return nil }
        var scalar = UInt32(lead) & (0xFF >> UInt32(length &+ 1))
        scalar = scalar << 6 | UInt32(second & 0x3F)
        var k = 2
        while k < length {
            let c = bytes[i &+ k]
            guard c & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(c & 0x3F)
            k &+= 1
        }
        return (scalar, length)
    }

    static func appendByteEscape(_ b: UInt8, to out: inout [UInt8]) {
        out.append(0x5C)
        out.append(UInt8(ascii: "x"))
        out.append(hexDigit(b >> 4, upper: false))
        out.append(hexDigit(b & 0xF, upper: false))
    }

    static func appendScalarEscape(_ v: UInt32, to out: inout [UInt8]) {
        out.append(0x5C)
        out.append(UInt8(ascii: "u"))
        out.append(UInt8(ascii: "{"))
        var shift = (32 &- v.leadingZeroBitCount &+ 3) / 4 * 4 &- 4
        while shift >= 0 {
            out.append(hexDigit(UInt8(truncatingIfNeeded: v >> UInt32(shift)) & 0xF, upper: true))
            shift &-= 4
        }
        out.append(UInt8(ascii: "}"))
    }

    static func hexDigit(_ nibble: UInt8, upper: Bool) -> UInt8 {
        nibble < 10 ? 0x30 &+ nibble : (upper ? 0x37 : 0x57) &+ nibble
    }
}

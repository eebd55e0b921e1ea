/// A slow, plainly written reference for `HumanText` (the escaping of data text for people), and
/// its inverse, for tests.
///
/// It shares nothing with the library's byte scanner: well-formedness is the standard library's
/// `String(validating:as:)` tried on 1 to 4 bytes, and the escape of each scalar is one `switch`.
public enum HumanTextReference {
    /// The bidirectional formatting characters (Unicode UAX #9, table 4: ALM, LRM, RLM, LRE, RLE,
    /// PDF, LRO, RLO, LRI, RLI, FSI, PDI): none may reach a terminal raw.
    public static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                                   0x2066, 0x2067, 0x2068, 0x2069]

    /// `bytes` escaped as `HumanText.escape` documents it.
    public static func escape(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        next: while i < bytes.count {
            for length in 1...4 where i + length <= bytes.count {
                if let s = String(validating: bytes[i..<(i + length)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    out += escape(scalar: s.unicodeScalars.first!)
                    i += length
                    continue next
                }
            }
            out += "\\x" + hex(bytes[i])
            i += 1
        }
        return out
    }

    /// One well-formed scalar.
    public static func escape(scalar: Unicode.Scalar) -> String {
        let v = scalar.value
        switch v {
        case 0x5C: return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00...0x1F, 0x7F: return "\\x" + hex(UInt8(v))
        case 0x80...0x9F, 0x2028, 0x2029: return "\\u{" + String(v, radix: 16, uppercase: true) + "}"
        case _ where bidiControls.contains(v): return "\\u{" + String(v, radix: 16, uppercase: true) + "}"
        default: return String(scalar)
        }
    }

    /// The bytes `escaped` was made from, or nil if it is not a possible output (a backslash not
    /// starting `\\`, `\n`, `\r`, `\t`, `\xHH` or `\u{H...}`).
    public static func unescape(_ escaped: String) -> [UInt8]? {
        let s = Array(escaped.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            guard s[i] == 0x5C else { out.append(s[i]); i += 1; continue }
            guard i + 1 < s.count else { return nil }
            switch s[i + 1] {
            case UInt8(ascii: "\\"): out.append(0x5C); i += 2
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "x"):
                guard i + 3 < s.count, let b = UInt8(String(decoding: s[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) else { return nil }
                out.append(b)
                i += 4
            case UInt8(ascii: "u"):
                guard i + 2 < s.count, s[i + 2] == UInt8(ascii: "{"),
                      let close = s[(i + 3)...].firstIndex(of: UInt8(ascii: "}")),
                      let v = UInt32(String(decoding: s[(i + 3)..<close], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(v) else { return nil }
                out.append(contentsOf: String(scalar).utf8)
                i = close + 1
            default: return nil
            }
        }
        return out
    }

    /// Whether `bytes` is something a terminal shows as it is: well-formed UTF-8 with no C0 control
    /// but LF (`allowNewline`), no DEL, no C1 control, no bidirectional formatting character and
    /// no U+2028/U+2029.
    public static func isInert(_ bytes: [UInt8], allowNewline: Bool = false) -> Bool {
        guard let s = String(validating: bytes, as: UTF8.self) else { return false }
        return s.unicodeScalars.allSatisfy { c in
            let v = c.value
            if v == 0x0A { return allowNewline }
            return v >= 0x20 && v != 0x7F && !(0x80...0x9F).contains(v) && !bidiControls.contains(v) && v != 0x2028 && v != 0x2029
        }
    }

    static func hex(_ b: UInt8) -> String { (b < 0x10 ? "0" : "") + String(b, radix: 16) }
}

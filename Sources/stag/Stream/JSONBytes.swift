import ServiceTags

/// JSON string literals written from raw bytes, exactly as `JSONValue.writeString` writes the
/// `String` decoded from them (invalid UTF-8 becomes U+FFFD there, so those lines take that path).
enum JSONBytes {
    /// Appends `bytes` as a JSON string literal.
    /// - Complexity: O(n); a line with a byte of 0x80 or more goes through a `String`.
    static func appendString(_ bytes: UnsafeRawBufferPointer, to out: ByteBuffer) {
        var plain = true
        for b in bytes where b < 0x20 || b >= 0x7F || b == 0x22 || b == 0x5C {
            if b >= 0x80 {
                var s = ""
                JSONValue.writeString(String(decoding: bytes, as: UTF8.self), to: &s)
                out.append(s)
                return
            }
            plain = false
        }
        out.append(0x22)
        if plain {
            out.append(bytes)
        } else {
            for b in bytes {
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0 ..< 0x20, 0x7F:
                    out.append(Array("\\u00".utf8))
                    out.append(HumanText.hexDigitLower(b >> 4))
                    out.append(HumanText.hexDigitLower(b & 0xF))
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }
}

extension HumanText {
    static func hexDigitLower(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}

import ServiceTags

/// UTF-8 output built in memory before it goes to stdout or an `AtomicFile`, so a failed run writes
/// nothing and large results (tens of thousands of prefixes) are formatted straight into bytes,
/// without a `String` per prefix.
struct TextBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 12) { bytes.reserveCapacity(capacity) }

    mutating func put(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func line(_ text: String = "") {
        put(text)
        bytes.append(0x0A)
    }

    /// The canonical form of `prefix` (dotted quad or RFC 5952, always with `/length`).
    mutating func put<A>(_ prefix: Prefix<A>) { prefix.write(to: &bytes) }

    /// `text` as a JSON string literal (RFC 8259 escaping).
    mutating func putJSONString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): put("\\\"")
            case UInt8(ascii: "\\"): put("\\\\")
            case 0x0A: put("\\n")
            case 0x0D: put("\\r")
            case 0x09: put("\\t")
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                put("\\u00")
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `n` as a JSON number, or `null`.
    mutating func putJSONNumber(_ n: Int?) { put(n.map(String.init) ?? "null") }

    /// A JSON array of canonical prefix strings, IPv4 first, in the order given.
    mutating func putJSONPrefixes(_ list: PrefixList) {
        bytes.append(UInt8(ascii: "["))
        for (i, p) in list.ipv4.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            putQuoted(p)
        }
        for (i, p) in list.ipv6.enumerated() {
            if i > 0 || !list.ipv4.isEmpty { bytes.append(UInt8(ascii: ",")) }
            putQuoted(p)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A prefix as a JSON string; canonical prefix text never needs escaping.
    private mutating func putQuoted<A>(_ prefix: Prefix<A>) {
        bytes.append(UInt8(ascii: "\""))
        put(prefix)
        bytes.append(UInt8(ascii: "\""))
    }
}

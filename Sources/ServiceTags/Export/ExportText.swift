/// The output being built: UTF-8 bytes appended in place.
///
/// Format writers call these per prefix, so nothing here builds an intermediate `String`: prefixes,
/// addresses, masks and numbers are written straight into `bytes`.
public struct ExportText: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    @inlinable public mutating func write(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// `s` and a newline.
    @inlinable public mutating func line(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        bytes.append(0x0A)
    }

    /// `s` (bytes) and a newline.
    @inlinable public mutating func line(_ s: [UInt8]) {
        bytes.append(contentsOf: s)
        bytes.append(0x0A)
    }

    @inlinable public mutating func newline() { bytes.append(0x0A) }

    @inlinable public mutating func write(byte: UInt8) { bytes.append(byte) }

    /// The canonical `address/length`.
    @inlinable public mutating func write<A>(_ prefix: Prefix<A>) { prefix.write(to: &bytes) }

    /// The canonical address alone.
    @inlinable public mutating func write<A: IPAddressFamily>(address: A) { address.write(to: &bytes) }

    /// The IPv4 netmask of `length`, e.g. `255.255.192.0` for 18.
    @inlinable public mutating func writeMask(length: UInt8) {
        IPv4Address(bits: IPv4Address.mask(length: Int(length))).write(to: &bytes)
    }

    /// A non-negative decimal number.
    @inlinable public mutating func write(number: Int) {
        precondition(number >= 0)
        if number >= 10 { write(number: number / 10) }
        bytes.append(0x30 &+ UInt8(number % 10))
    }

    /// Lowercase hexadecimal with exactly `digits` digits.
    @inlinable public mutating func write(hex value: UInt64, digits: Int) {
        var shift = (digits &- 1) &* 4
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
            bytes.append(nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble)
            shift &-= 4
        }
    }

    /// A JSON string literal (RFC 8259 escaping). Beyond what RFC 8259 requires, DEL is written
    /// `\u007f` and U+2028/U+2029 `\u2028`/`\u2029` (line breaks to JavaScript before ES2019 and
    /// to some viewers), so no JSON the tool writes carries a raw control character.
    public mutating func write(jsonString s: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = s.utf8.span
        var i = 0
        while i < utf8.count {
            let c = utf8[i]
            i &+= 1
            switch c {
            case UInt8(ascii: "\""): write("\\\"")
            case UInt8(ascii: "\\"): write("\\\\")
            case 0x0A: write("\\n")
            case 0x0D: write("\\r")
            case 0x09: write("\\t")
            case 0..<0x20, 0x7F:
                write("\\u00")
                write(hex: UInt64(c), digits: 2)
            case 0xE2 where i &+ 1 < utf8.count && utf8[i] == 0x80 && (utf8[i &+ 1] == 0xA8 || utf8[i &+ 1] == 0xA9):
                write(utf8[i &+ 1] == 0xA8 ? "\\u2028" : "\\u2029")
                i &+= 2
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string holding a prefix (prefix text never needs escaping).
    @inlinable public mutating func write<A>(jsonPrefix prefix: Prefix<A>) {
        bytes.append(UInt8(ascii: "\""))
        prefix.write(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}

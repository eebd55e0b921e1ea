/// A slow, obviously-correct reference for `AddressParser`, written the way a person reads the rules:
/// split on `.`, `:`, `::` and `/`, then check each piece. Differential tests compare the two on
/// random and mutated inputs; they must agree on accept versus reject and on the value (not on the
/// reason or offset, which this reference does not report).
///
/// Rules (RFC 791 dotted quad without the legacy forms, RFC 4291 section 2.2, RFC 4632):
/// - IPv4: exactly 4 fields, each 1-3 ASCII digits, no leading zero unless the field is `0`, <= 255.
/// - IPv6: at most one `::`; every group 1-4 hex digits (either case); an optional dotted IPv4 as
///   the last piece counts as two groups; with `::` fewer than 8 groups (it stands for at least one
///   zero group), without it exactly 8; no zone, no whitespace.
/// - Prefix: exactly one `/`; the family is IPv6 when the address part has a `:`; the length is 1-3
///   ASCII digits without a leading zero, at most 32 or 128; no bit set past the length.
public enum SlowAddressParser {
    public static func ipv4(_ text: String) -> UInt32? {
        let fields = text.split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 4 else { return nil }
        var value: UInt32 = 0
        for field in fields {
            guard let octet = decimal(field, maxDigits: 3), octet <= 255 else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    public static func ipv6(_ text: String) -> UInt128? {
        // Pieces separated by ":"; a "::" shows up as one empty piece between two others (or two at an end).
        let halves = text.split(separator: "::" as String, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        var groups: [[UInt16]] = []
        for (h, half) in halves.enumerated() {
            var parsed: [UInt16] = []
            let pieces = half.isEmpty ? [] : half.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                let isLastPiece = h == halves.count - 1 && i == pieces.count - 1
                if piece.contains(".") {
                    guard isLastPiece, let v4 = ipv4(String(piece)) else { return nil }
                    parsed += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    guard let g = hexGroup(piece) else { return nil }
                    parsed.append(g)
                }
            }
            groups.append(parsed)
        }
        let all: [UInt16]
        if halves.count == 1 {
            guard groups[0].count == 8 else { return nil }
            all = groups[0]
        } else {
            let zeros = 8 - groups[0].count - groups[1].count
            guard zeros >= 1 else { return nil }
            all = groups[0] + Array(repeating: 0, count: zeros) + groups[1]
        }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    /// Either family; a `:` anywhere means IPv6.
    public static func address(_ text: String) -> IPAddress? {
        if text.contains(":") { return ipv6(text).map { .v6(IPv6Address(bits: $0)) } }
        return ipv4(text).map { .v4(IPv4Address(bits: $0)) }
    }

    public static func prefix(_ text: String) -> IPPrefix? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = decimal(parts[1], maxDigits: 3) else { return nil }
        let addressText = String(parts[0])
        if addressText.contains(":") {
            guard length <= 128, let bits = ipv6(addressText) else { return nil }
            let hostBits: UInt128 = length == 128 ? 0 : UInt128.max >> length
            guard bits & hostBits == 0 else { return nil }
            return .v6(IPv6Prefix(address: IPv6Address(bits: bits), length: length)!)
        }
        guard length <= 32, let bits = ipv4(addressText) else { return nil }
        let hostBits: UInt32 = length == 32 ? 0 : UInt32.max >> length
        guard bits & hostBits == 0 else { return nil }
        return .v4(IPv4Prefix(address: IPv4Address(bits: bits), length: length)!)
    }

    /// What the throwing forms report: the text that is not an address or prefix.
    public struct Rejected: Error, CustomStringConvertible {
        public var text: String
        public var description: String { "not accepted by SlowAddressParser: '\(text)'" }
    }

    /// `prefix(_:)` for references that read text they expect to be valid.
    public static func requirePrefix(_ text: String) throws(Rejected) -> IPPrefix {
        guard let p = prefix(text) else { throw Rejected(text: text) }
        return p
    }

    /// `address(_:)` for references that read text they expect to be valid.
    public static func requireAddress(_ text: String) throws(Rejected) -> IPAddress {
        guard let a = address(text) else { throw Rejected(text: text) }
        return a
    }

    /// 1...`maxDigits` ASCII digits, no leading zero unless the text is exactly `0`.
    static func decimal(_ text: Substring, maxDigits: Int) -> Int? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= maxDigits, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if digits.count > 1 && digits[0] == 0x30 { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// 1-4 ASCII hex digits, either case.
    static func hexGroup(_ text: Substring) -> UInt16? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        var value: UInt16 = 0
        for d in digits {
            let nibble: UInt8
            switch d {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = d - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = d - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = d - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(nibble)
        }
        return value
    }
}

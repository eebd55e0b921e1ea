/// Why a piece of text is not a valid address or prefix, and where.
///
/// Rendered netip-style: `ParsePrefix("10.0.0.1/8"): host bits set; did you mean 10.0.0.0/8? (at "/8")`.
public struct AddressParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case empty
        case unexpectedCharacter(UInt8)
        case leadingZero
        case octetTooLarge
        case tooFewOctets
        case tooManyOctets
        case groupTooLong
        case tooFewGroups
        case tooManyGroups
        case misplacedDoubleColon
        case zoneNotAllowed
        case missingPrefixLength
        case prefixLengthOutOfRange
        /// The canonical form, for the message.
        case hostBitsSet(canonical: String)
    }

    /// The whole input as given.
    public let input: String
    /// Byte offset in `input` where the problem was detected.
    public let offset: Int
    public let reason: Reason

    public init(input: String, offset: Int, reason: Reason) {
        self.input = input
        self.offset = offset
        self.reason = reason
    }

    public var message: String {
        switch reason {
        case .empty: "empty"
        case .unexpectedCharacter(let c):
            c >= 0x20 && c < 0x7F ? "unexpected character '\(Character(Unicode.Scalar(c)))'"
                : "unexpected byte 0x\(String(c, radix: 16))"
        case .leadingZero: "IPv4 field has a leading zero"
        case .octetTooLarge: "IPv4 field is greater than 255"
        case .tooFewOctets: "IPv4 address has fewer than 4 fields"
        case .tooManyOctets: "IPv4 address has more than 4 fields"
        case .groupTooLong: "IPv6 group has more than 4 hex digits"
        case .tooFewGroups: "IPv6 address has fewer than 8 groups and no '::'"
        case .tooManyGroups: "IPv6 address has too many groups"
        case .misplacedDoubleColon: "misplaced or repeated '::'"
        case .zoneNotAllowed: "zones (%...) are not allowed"
        case .missingPrefixLength: "missing '/length'"
        case .prefixLengthOutOfRange: "prefix length out of range"
        case .hostBitsSet(let canonical): "host bits set; did you mean \(canonical)?"
        }
    }

    public var description: String {
        let rest = offset < input.utf8.count ? String(decoding: input.utf8.dropFirst(offset), as: UTF8.self) : ""
        return "\"\(input)\": \(message)" + (rest.isEmpty || rest == input ? "" : " (at \"\(rest)\")")
    }
}

/// The strict byte-level parser behind every `init(parsing:)`.
///
/// It works on a `Span<UInt8>` sub-range so the JSON scanner can parse `"20.62.130.0/24"` straight
/// from its buffer without creating a `String`. Failures are a tiny `AddressParseFailure` (reason and
/// offset); callers that have an input string turn it into an `AddressParseError`.
///
/// Accepted, in the spirit of Go's `net/netip`:
/// - IPv4: exactly four decimal fields 0...255, no leading zeros (`010` could be octal), no shorthand.
/// - IPv6: eight groups of 1-4 hex digits, or fewer with exactly one `::` standing for at least one
///   zero group; an embedded dotted IPv4 tail (`::ffff:1.2.3.4`); no zone (`%eth0`).
/// - Prefix: an address, `/`, a decimal length without leading zeros within the family's width, and
///   no host bits set.
public struct AddressParseFailure: Error, Equatable, Sendable {
    public var reason: AddressParseError.Reason
    /// Offset relative to the start of the parsed range.
    public var offset: Int
    @inlinable init(_ reason: AddressParseError.Reason, _ offset: Int) {
        self.reason = reason
        self.offset = offset
    }
}

public enum AddressParser {
    /// Parses `bytes[start..<end]` as an IPv4 address.
    /// - Complexity: O(end - start).
    @inlinable
    public static func ipv4(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) throws(AddressParseFailure) -> UInt32 {
        if start >= end { throw AddressParseFailure(.empty, 0) }
        var value: UInt32 = 0
        var fields = 0
        var i = start
        while true {
            let fieldStart = i
            var field: UInt32 = 0
            while i < end {
                let d = bytes[i] &- 0x30
                if d > 9 { break }
                if i - fieldStart == 3 { throw AddressParseFailure(.octetTooLarge, fieldStart - start) }
                field = field &* 10 &+ UInt32(d)
                i += 1
            }
            if i == fieldStart {
                throw i < end ? AddressParseFailure(.unexpectedCharacter(bytes[i]), i - start)
                              : AddressParseFailure(.tooFewOctets, i - start)
            }
            if i - fieldStart > 1 && bytes[fieldStart] == 0x30 { throw AddressParseFailure(.leadingZero, fieldStart - start) }
            if field > 255 { throw AddressParseFailure(.octetTooLarge, fieldStart - start) }
            value = value << 8 | field
            fields += 1
            if i == end {
                if fields < 4 { throw AddressParseFailure(.tooFewOctets, i - start) }
                return value
            }
            let c = bytes[i]
            if c != UInt8(ascii: ".") {
                throw c == UInt8(ascii: "%") ? AddressParseFailure(.zoneNotAllowed, i - start)
                                             : AddressParseFailure(.unexpectedCharacter(c), i - start)
            }
            if fields == 4 { throw AddressParseFailure(.tooManyOctets, i - start) }
            i += 1
        }
    }

    /// Parses `bytes[start..<end]` as an IPv6 address (RFC 4291 section 2.2 text forms, no zone).
    /// - Complexity: O(end - start).
    @inlinable
    public static func ipv6(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) throws(AddressParseFailure) -> UInt128 {
        if start >= end { throw AddressParseFailure(.empty, 0) }
        // Checked once: every read below lies in `start ..< end` (grep parses millions of these).
        precondition(start >= 0 && end <= bytes.count, "AddressParser.ipv6: range outside the bytes")
        let colon = UInt8(ascii: ":")
        var value: UInt128 = 0      // groups accumulated so far, the last one in the low 16 bits
        var groups = 0              // number of 16-bit groups in `value`
        var ellipsis = -1           // groups seen before "::", or -1
        var i = start
        if bytes[unchecked: i] == colon {
            if i + 1 >= end || bytes[unchecked: i &+ 1] != colon { throw AddressParseFailure(.misplacedDoubleColon, 0) }
            ellipsis = 0
            i += 2
            if i == end { return 0 }
        }
        while true {
            let groupStart = i
            var group: UInt32 = 0
            while i < end {
                // A hex digit's value without a branch per class: digits, then either case of a-f.
                let c = bytes[unchecked: i]
                let digit = c &- 0x30, letter = (c | 0x20) &- 0x61
                let nibble = digit < 10 ? digit : letter < 6 ? letter &+ 10 : 0xFF
                if nibble == 0xFF { break }
                if i - groupStart == 4 { throw AddressParseFailure(.groupTooLong, groupStart - start) }
                group = group << 4 | UInt32(nibble)
                i += 1
            }
            if i < end && bytes[unchecked: i] == UInt8(ascii: ".") {
                // Embedded IPv4 tail: it must end the address and leave room for two groups.
                if groups > 6 || (ellipsis < 0 && groups != 6) {
                    throw AddressParseFailure(groups > 6 ? .tooManyGroups : .tooFewGroups, groupStart - start)
                }
                let v4: UInt32
                do { v4 = try ipv4(bytes, groupStart, end) } catch {
                    throw AddressParseFailure(error.reason, error.offset + groupStart - start)
                }
                value = value << 32 | UInt128(v4)
                groups += 2
                break
            }
            if i == groupStart {
                if i == end { throw AddressParseFailure(.misplacedDoubleColon, i - start) }
                let c = bytes[unchecked: i]
                throw c == UInt8(ascii: "%") ? AddressParseFailure(.zoneNotAllowed, i - start)
                                             : AddressParseFailure(.unexpectedCharacter(c), i - start)
            }
            if groups == 8 { throw AddressParseFailure(.tooManyGroups, groupStart - start) }
            value = value << 16 | UInt128(group)
            groups += 1
            if i == end { break }
            let c = bytes[unchecked: i]
            if c != colon {
                throw c == UInt8(ascii: "%") ? AddressParseFailure(.zoneNotAllowed, i - start)
                                             : AddressParseFailure(.unexpectedCharacter(c), i - start)
            }
            i += 1
            if i < end && bytes[unchecked: i] == colon {
                if ellipsis >= 0 { throw AddressParseFailure(.misplacedDoubleColon, i - 1 - start) }
                ellipsis = groups
                i += 1
                if i == end { break }
            } else if i == end {
                throw AddressParseFailure(.misplacedDoubleColon, i - 1 - start)
            }
        }
        if ellipsis < 0 {
            if groups != 8 { throw AddressParseFailure(.tooFewGroups, end - start) }
            return value
        }
        // "::" must stand for at least one zero group.
        if groups >= 8 { throw AddressParseFailure(.misplacedDoubleColon, end - start) }
        let tailGroups = groups - ellipsis
        let tailMask: UInt128 = tailGroups == 0 ? 0 : ~0 >> UInt128(128 - 16 * tailGroups)
        let head = value >> UInt128(16 * tailGroups)
        return head << UInt128(16 * (8 - ellipsis)) | (value & tailMask)
    }

    /// Parses a decimal prefix length `bytes[start..<end]` no greater than `width`.
    @inlinable
    static func prefixLength(_ bytes: Span<UInt8>, _ start: Int, _ end: Int, width: Int, origin: Int) throws(AddressParseFailure) -> Int {
        if start == end { throw AddressParseFailure(.missingPrefixLength, start - origin) }
        var n = 0
        var i = start
        while i < end {
            let d = bytes[i] &- 0x30
            if d > 9 { throw AddressParseFailure(.unexpectedCharacter(bytes[i]), i - origin) }
            if i - start == 3 { throw AddressParseFailure(.prefixLengthOutOfRange, start - origin) }
            n = n &* 10 &+ Int(d)
            i += 1
        }
        if end - start > 1 && bytes[start] == 0x30 { throw AddressParseFailure(.leadingZero, start - origin) }
        if n > width { throw AddressParseFailure(.prefixLengthOutOfRange, start - origin) }
        return n
    }

    /// Parses `bytes[start..<end]` as a prefix of either family; host bits are an error.
    /// - Complexity: O(end - start).
    @inlinable
    public static func prefix(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) throws(AddressParseFailure) -> IPPrefix {
        var slash = -1
        var sawColon = false
        var i = start
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "/") { slash = i; break }
            if c == UInt8(ascii: ":") { sawColon = true }
            i += 1
        }
        if start == end { throw AddressParseFailure(.empty, 0) }
        if slash < 0 {
            // Give the address's own error first ("1.2.3/8" is a bad address, not a missing length).
            if sawColon { _ = try ipv6(bytes, start, end) } else { _ = try ipv4(bytes, start, end) }
            throw AddressParseFailure(.missingPrefixLength, end - start)
        }
        if sawColon {
            let bits = try ipv6(bytes, start, slash)
            let length = try prefixLength(bytes, slash + 1, end, width: 128, origin: start)
            guard let p = IPv6Prefix(address: IPv6Address(bits: bits), length: length) else {
                throw AddressParseFailure(.hostBitsSet(canonical: IPv6Prefix(masking: IPv6Address(bits: bits), length: length).description), slash - start)
            }
            return .v6(p)
        } else {
            let bits = try ipv4(bytes, start, slash)
            let length = try prefixLength(bytes, slash + 1, end, width: 32, origin: start)
            guard let p = IPv4Prefix(address: IPv4Address(bits: bits), length: length) else {
                throw AddressParseFailure(.hostBitsSet(canonical: IPv4Prefix(masking: IPv4Address(bits: bits), length: length).description), slash - start)
            }
            return .v4(p)
        }
    }
}

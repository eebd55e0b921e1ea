import ServiceTags
import Testing

/// Prefix parsing: every rejected form on its own line; host bits are an error, never masked.
@Suite struct PrefixTests {
    static let valid: [(String, IPPrefix)] = [
        ("0.0.0.0/0", v4(0, 0)),
        ("128.0.0.0/1", v4(0x8000_0000, 1)),
        ("10.0.0.0/8", v4(0x0A00_0000, 8)),
        ("20.62.130.0/24", v4(0x143E_8200, 24)),
        ("1.2.3.4/32", v4(0x0102_0304, 32)),
        ("255.255.255.255/32", v4(0xFFFF_FFFF, 32)),
        ("0.0.0.0/32", v4(0, 32)),
        ("::/0", v6(0, 0)),
        ("8000::/1", v6(0x8000 << 112, 1)),
        ("2001:db8::/32", v6(0x2001_0DB8 << 96, 32)),
        ("2603:1020:200::/46", v6(0x2603_1020_0200 << 80, 46)),
        ("2603:1020:206::7d0/124", v6(0x2603_1020_0206_0000_0000_0000_0000_07D0, 124)),
        ("::1/128", v6(1, 128)),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", v6(UInt128.max, 128)),
        ("::ffff:1.2.3.0/120", v6(0xFFFF_0102_0300, 120)),
        ("2001:DB8::/32", v6(0x2001_0DB8 << 96, 32)),
    ]

    static let invalid: [String] = [
        "",                     // empty
        "/8",                   // no address
        "10.0.0.0",             // missing length
        "10.0.0.0/",            // empty length
        "10.0.0.1/8",           // host bits set (never masked)
        "11.0.0.0/7",           // host bit set: 11 = 0b00001011, the eighth bit is past /7
        "1.2.3.5/31",           // host bit set in the last bit
        "0.0.0.1/0",            // host bits set under /0
        "10.0.0.0/33",          // longer than 32
        "10.0.0.0/100",         // three digits, out of range
        "10.0.0.0/1000",        // four digits
        "10.0.0.0/4294967304",  // 2^32 + 8: must not wrap around to 8
        "10.0.0.0/08",          // leading zero in the length
        "0.0.0.0/00",           // "00"
        "10.0.0.0/-1",          // sign
        "10.0.0.0/+8",          // sign
        "10.0.0.0/0x8",         // hex length
        "10.0.0.0/8/8",         // two slashes
        "10.0.0.0//8",          // empty field between slashes
        "10.0.0.0/ 8",          // space before the length
        "10.0.0.0 /8",          // space before the slash
        "10.0.0.0/8 ",          // trailing space
        " 10.0.0.0/8",          // leading space
        "10.0.0.0/8\n",         // trailing newline
        "1.2.3/24",             // shorthand address
        "010.0.0.0/8",          // octal-looking address
        "10.0.0.0/8%eth0",      // zone after the length
        "::/129",               // longer than 128
        "::/0128",              // leading zero in the length
        "2001:db8::1/32",       // host bits set
        "::1/127",              // host bit set in the last bit
        "fe80::%eth0/64",       // zone
        "fe80::/64%eth0",       // zone after the length
        "1::2::/32",            // two "::"
        "2001:db8::/",          // empty length
        "2001:db8::",           // missing length
        "[2001:db8::]/32",      // brackets
    ]

    static func v4(_ bits: UInt32, _ length: Int) -> IPPrefix {
        .v4(IPv4Prefix(address: IPv4Address(bits: bits), length: length)!)
    }

    static func v6(_ bits: UInt128, _ length: Int) -> IPPrefix {
        .v6(IPv6Prefix(address: IPv6Address(bits: bits), length: length)!)
    }

    @Test(arguments: valid)
    func prefixParsingAcceptsCanonicalPrefixes(_ text: String, _ expected: IPPrefix) throws {
        #expect(try IPPrefix(parsing: text) == expected)
        #expect(IPPrefix(text) == expected)
    }

    @Test(arguments: invalid)
    func prefixParsingRejects(_ text: String) {
        #expect(throws: AddressParseError.self) { try IPPrefix(parsing: text) }
        #expect(IPPrefix(text) == nil)
    }

    static let reasons: [(String, AddressParseError.Reason, Int)] = [
        ("", .empty, 0),
        ("10.0.0.1/8", .hostBitsSet(canonical: "10.0.0.0/8"), 8),
        ("2001:db8::1/32", .hostBitsSet(canonical: "2001:db8::/32"), 11),
        ("10.0.0.0/33", .prefixLengthOutOfRange, 9),
        ("::/129", .prefixLengthOutOfRange, 3),
        ("10.0.0.0/08", .leadingZero, 9),
        ("10.0.0.0", .missingPrefixLength, 8),
        ("10.0.0.0/", .missingPrefixLength, 9),
        ("1.2.3/8", .tooFewOctets, 5),          // the address's own error comes first
        ("10.0.0.0/8 ", .unexpectedCharacter(UInt8(ascii: " ")), 10),
        ("fe80::%eth0/64", .zoneNotAllowed, 6),
    ]

    @Test(arguments: reasons)
    func prefixErrorsSayWhyAndWhere(_ text: String, _ reason: AddressParseError.Reason, _ offset: Int) {
        do {
            _ = try IPPrefix(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.reason == reason)
            #expect(error.offset == offset)
        }
    }

    /// The JSON scanner parses prefixes in place inside its buffer: a sub-range must behave exactly
    /// like the same text on its own, with offsets relative to the range's start.
    @Test(arguments: valid.map(\.0) + invalid + reasons.map(\.0))
    func prefixParsingOfASubrangeMatchesTheWholeText(_ text: String) {
        let buffer = Array("\"/1:".utf8) + Array(text.utf8) + Array("/\"9".utf8)
        let start = 4, end = 4 + text.utf8.count
        let inPlace = Result { () throws(AddressParseFailure) -> IPPrefix in try AddressParser.prefix(buffer.span, start, end) }
        let whole = Result { () throws(AddressParseError) -> IPPrefix in try IPPrefix(parsing: text) }
        switch (inPlace, whole) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)):
            #expect(a.reason == b.reason)
            #expect(a.offset == b.offset)
        default: Issue.record("sub-range and whole text disagree on \(text.debugDescription): \(inPlace) vs \(whole)")
        }
    }

    @Test func canonicalInitializerRefusesHostBitsAndBadLengths() {
        #expect(IPv4Prefix(address: IPv4Address(10, 0, 0, 1), length: 8) == nil)
        #expect(IPv4Prefix(address: IPv4Address(10, 0, 0, 0), length: 33) == nil)
        #expect(IPv4Prefix(address: IPv4Address(10, 0, 0, 0), length: -1) == nil)
        #expect(IPv6Prefix(address: IPv6Address(bits: 0), length: 129) == nil)
        #expect(IPv6Prefix(address: IPv6Address(bits: 1), length: 127) == nil)
        #expect(IPv4Prefix(address: IPv4Address(10, 0, 0, 0), length: 8)?.length == 8)
        #expect(IPv6Prefix(address: IPv6Address(bits: 1), length: 128)?.isSingleAddress == true)
    }

    @Test func maskingInitializerClearsHostBitsOnPurpose() {
        #expect(IPv4Prefix(masking: IPv4Address(10, 1, 2, 3), length: 8).description == "10.0.0.0/8")
        #expect(IPv4Prefix(masking: IPv4Address(255, 255, 255, 255), length: 0).description == "0.0.0.0/0")
        #expect(IPv4Prefix(masking: IPv4Address(1, 2, 3, 4), length: 32).description == "1.2.3.4/32")
        #expect(IPv4Prefix(masking: IPv4Address(1, 2, 3, 255), length: 31).description == "1.2.3.254/31")
        #expect(IPv6Prefix(masking: IPv6Address(bits: UInt128.max), length: 0).description == "::/0")
        #expect(IPv6Prefix(masking: IPv6Address(bits: UInt128.max), length: 128).description == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")
        #expect(IPv6Prefix(masking: IPv6Address(bits: UInt128.max), length: 17).description == "ffff:8000::/17")
    }
}

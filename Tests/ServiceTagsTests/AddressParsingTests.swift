import ServiceTags
import Testing

/// Table tests for the strict parsers, netip style: every rejected form on its own line with the
/// reason it must be rejected. Expected values are written out by hand, never taken from the parser.
@Suite struct AddressParsingTests {
    static let validIPv4: [(String, UInt32)] = [
        ("0.0.0.0", 0),
        ("255.255.255.255", 0xFFFF_FFFF),
        ("1.2.3.4", 0x0102_0304),
        ("10.0.0.1", 0x0A00_0001),
        ("192.168.100.200", 0xC0A8_64C8),
        ("20.62.130.5", 0x143E_8205),
        ("100.64.0.0", 0x6440_0000),
    ]

    static let invalidIPv4: [String] = [
        "",                 // empty
        "1",                // a single number (inet_aton accepts it)
        "16909060",         // the 32-bit value in decimal
        "1.2",              // shorthand, two fields
        "1.2.3",            // shorthand, three fields
        "1.2.3.4.5",        // five fields
        "256.0.0.1",        // first field > 255
        "1.2.3.256",        // last field > 255
        "999.1.1.1",        // three digits but > 255
        "1000.1.1.1",       // four digits
        "01.2.3.4",         // leading zero (could be read as octal)
        "1.02.3.4",         // leading zero in the middle
        "1.2.3.00",         // "00"
        "010.0.0.1",        // octal-looking
        "0x1.2.3.4",        // hex field
        "0x01020304",       // hex number
        "1.2.3.0x4",        // hex last field
        "1..3.4",           // empty field
        ".1.2.3",           // leading dot
        "1.2.3.",           // trailing dot
        "1.2.3.4.",         // trailing dot after four fields
        " 1.2.3.4",         // leading space
        "1.2.3.4 ",         // trailing space
        "1.2.3.4\n",        // trailing newline
        "1.2. 3.4",         // inner space
        "1.2.3.-4",         // sign
        "+1.2.3.4",         // sign
        "1.2.3.4%eth0",     // zone
        "1.2.3.4/24",       // a prefix is not an address
        "1.2.3.4:80",       // port
        "a.b.c.d",          // letters
        "\u{FF11}.2.3.4",   // full-width digit one
        "1.2.3.4\u{0}",     // NUL
    ]

    static let validIPv6: [(String, UInt128)] = [
        ("::", 0),
        ("::1", 1),
        ("1::", 0x0001 << 112),
        ("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004_0005_0006_0007_0008),
        ("2001:db8::1", 0x2001_0DB8_0000_0000_0000_0000_0000_0001),
        ("2001:DB8::1", 0x2001_0DB8_0000_0000_0000_0000_0000_0001),                  // upper case
        ("2001:0db8:0000:0000:0000:0000:0000:0001", 0x2001_0DB8_0000_0000_0000_0000_0000_0001), // zero padded
        ("0:0:0:0:0:0:0:0", 0),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UInt128.max),
        ("fe80::1:2", 0xFE80_0000_0000_0000_0000_0000_0001_0002),
        ("2603:1020:206::7d0", 0x2603_1020_0206_0000_0000_0000_0000_07D0),
        ("1:2:3::5:6:7:8", 0x0001_0002_0003_0000_0005_0006_0007_0008),
        ("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004_0005_0006_0007_0000),             // "::" for one group (RFC 4291 2.2)
        ("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004_0005_0006_0007_0008),             // "::" for one group, leading
        ("::ffff:1.2.3.4", 0xFFFF_0102_0304),                                       // IPv4-mapped
        ("::FFFF:1.2.3.4", 0xFFFF_0102_0304),
        ("::1.2.3.4", 0x0102_0304),                                                 // IPv4-compatible (deprecated, valid)
        ("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004_0005_0006_0102_0304),
        ("1::1.2.3.4", 0x0001_0000_0000_0000_0000_0000_0102_0304),
        ("64:ff9b::255.255.255.255", 0x0064_FF9B_0000_0000_0000_0000_FFFF_FFFF),
    ]

    static let invalidIPv6: [String] = [
        ":",                        // lone colon
        ":::",                      // three colons
        "::::",                     // two "::"
        "1::2::3",                  // two "::"
        "1:2:3:4:5:6:7",            // seven groups, no "::"
        "1:2:3:4:5:6:7:8:9",        // nine groups
        "1:2:3:4:5:6:7:8::",        // "::" standing for no group
        "::1:2:3:4:5:6:7:8",        // "::" standing for no group, leading
        "1:2:3:4:5:6:7::8",         // eight groups plus "::"
        "1:2:3:4::5:6:7:8",         // eight groups plus "::" in the middle
        "12345::",                  // group of five hex digits
        "1:2:3:4:5:6:7:00000",      // five digits, all zero
        "fe80::1%eth0",             // zone
        "fe80::1%1",                // numeric zone
        "::1%",                     // empty zone
        "g::1",                     // not a hex digit
        "0x::1",                    // hex prefix
        ":1::",                     // single leading colon
        ":1:2:3:4:5:6:7:8",         // single leading colon, eight groups
        "1:2:3:4:5:6:7:8:",         // trailing colon
        "1::2:",                    // trailing single colon
        "1.2.3.4::",                // embedded IPv4 first
        "1.2.3.4:1::",              // embedded IPv4 not last
        "::1.2.3.4:1",              // embedded IPv4 followed by a group
        "::1.2.3",                  // short IPv4 tail
        "::1.2.3.4.5",              // long IPv4 tail
        "::01.2.3.4",               // leading zero in the IPv4 tail
        "::256.2.3.4",              // IPv4 tail field > 255
        "::ffff:1.2.3.4%eth0",      // zone after an IPv4 tail
        "1:2:3:4:5:6:7:1.2.3.4",    // IPv4 tail after seven groups: nine groups
        "1:2:3:4:5:1.2.3.4",        // IPv4 tail after five groups, no "::": seven groups
        "::1:2:3:4:5:6:1.2.3.4",    // "::" standing for no group, with an IPv4 tail
        "1:2:3:4:5:6:7:8:1.2.3.4",  // ten groups
        "[::1]",                    // brackets
        " ::1",                     // leading space
        "::1 ",                     // trailing space
        "::1/128",                  // a prefix is not an address
        "::-1",                     // sign
        "1:2:3:4:5:6:7:8\n",        // trailing newline
    ]

    @Test(arguments: validIPv4)
    func parsingAcceptsValidIPv4(_ text: String, _ bits: UInt32) throws {
        #expect(try IPv4Address(parsing: text) == IPv4Address(bits: bits))
        #expect(try IPAddress(parsing: text) == .v4(IPv4Address(bits: bits)))
        #expect(IPAddress(text) == .v4(IPv4Address(bits: bits)))
    }

    @Test(arguments: invalidIPv4)
    func parsingRejectsInvalidIPv4(_ text: String) {
        #expect(throws: AddressParseError.self) { try IPv4Address(parsing: text) }
        #expect(throws: AddressParseError.self) { try IPAddress(parsing: text) }
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: validIPv6)
    func parsingAcceptsValidIPv6(_ text: String, _ bits: UInt128) throws {
        #expect(try IPv6Address(parsing: text) == IPv6Address(bits: bits))
        #expect(try IPAddress(parsing: text) == .v6(IPv6Address(bits: bits)))   // mapped stays IPv6
    }

    @Test(arguments: invalidIPv6)
    func parsingRejectsInvalidIPv6(_ text: String) {
        #expect(throws: AddressParseError.self) { try IPv6Address(parsing: text) }
        #expect(throws: AddressParseError.self) { try IPAddress(parsing: text) }
    }

    @Test func familiesDoNotCrossParse() {
        #expect(throws: AddressParseError.self) { try IPv4Address(parsing: "::1") }
        #expect(throws: AddressParseError.self) { try IPv6Address(parsing: "1.2.3.4") }
    }

    @Test func mappedAddressUnmapsToIPv4() throws {
        #expect(try IPAddress(parsing: "::ffff:20.62.130.5").unmapped == .v4(IPv4Address(20, 62, 130, 5)))
        #expect(try IPAddress(parsing: "::1").unmapped == .v6(IPv6Address(bits: 1)))
        #expect(try IPAddress(parsing: "1.2.3.4").unmapped == .v4(IPv4Address(1, 2, 3, 4)))
        #expect(IPv6Address(mapping: IPv4Address(1, 2, 3, 4)).bits == 0xFFFF_0102_0304)
    }

    /// Each reason with the byte offset where it was detected, derived by hand from the rules.
    static let reasons: [(String, AddressParseError.Reason, Int)] = [
        ("", .empty, 0),
        ("01.2.3.4", .leadingZero, 0),
        ("1.2.3.256", .octetTooLarge, 6),
        ("1.2.3", .tooFewOctets, 5),
        ("1.2.3.4.5", .tooManyOctets, 7),
        ("1.2.3.4%eth0", .zoneNotAllowed, 7),
        ("1.2.x.4", .unexpectedCharacter(UInt8(ascii: "x")), 4),
        ("fe80::1%eth0", .zoneNotAllowed, 7),
        ("1::2::3", .misplacedDoubleColon, 4),
        ("12345::", .groupTooLong, 0),
        ("1:2:3:4:5:6:7:8:9", .tooManyGroups, 16),
        ("1:2:3", .tooFewGroups, 5),
        ("::01.2.3.4", .leadingZero, 2),
    ]

    @Test(arguments: reasons)
    func addressErrorsSayWhyAndWhere(_ text: String, _ reason: AddressParseError.Reason, _ offset: Int) {
        do {
            _ = try IPAddress(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.reason == reason)
            #expect(error.offset == offset)
            #expect(error.input == text)
        }
    }

    @Test func errorDescriptionIsNetipStyle() {
        do {
            _ = try IPPrefix(parsing: "10.0.0.1/8")
            Issue.record("accepted a prefix with host bits")
        } catch {
            #expect(error.description == #""10.0.0.1/8": host bits set; did you mean 10.0.0.0/8? (at "/8")"#)
        }
        do {
            _ = try IPAddress(parsing: "01.2.3.4")
            Issue.record("accepted a leading zero")
        } catch {
            // The failure is at offset 0, so there is no "(at ...)" repeating the whole input.
            #expect(error.description == #""01.2.3.4": IPv4 field has a leading zero"#)
        }
    }
}

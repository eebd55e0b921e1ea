import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Canonical text forms: dotted quads, RFC 5952 for IPv6, `address/length` for prefixes.
@Suite struct AddressFormattingTests {
    static let ipv4: [(UInt32, String)] = [
        (0, "0.0.0.0"),
        (0xFFFF_FFFF, "255.255.255.255"),
        (0x0A00_0001, "10.0.0.1"),
        (0x640A_0100, "100.10.1.0"),
        (0x143E_8205, "20.62.130.5"),
        (0x0909_0909, "9.9.9.9"),
    ]

    static let ipv6: [(UInt128, String)] = [
        (0, "::"),                                                              // all zero
        (1, "::1"),                                                             // loopback
        (0x0001 << 112, "1::"),                                                 // trailing run
        (0x2001_0DB8_0000_0000_0000_0000_0000_0001, "2001:db8::1"),             // lower case, no leading zeros
        (0x2001_0DB8_0000_0000_0001_0000_0000_0001, "2001:db8::1:0:0:1"),       // tie: first run (RFC 5952 4.2.3)
        (0x2001_0000_0000_0001_0000_0000_0000_0001, "2001:0:0:1::1"),           // longest run wins (4.2.3)
        (0x2001_0DB8_0000_0001_0001_0001_0001_0001, "2001:db8:0:1:1:1:1:1"),    // no "::" for one group (4.2.2)
        (0x0001_0002_0003_0004_0005_0006_0007_0000, "1:2:3:4:5:6:7:0"),         // single trailing zero group
        (0x0000_0001_0002_0003_0004_0005_0006_0007, "0:1:2:3:4:5:6:7"),         // single leading zero group
        (0x0001_0000_0001_0000_0001_0000_0001_0000, "1:0:1:0:1:0:1:0"),         // only single zero groups
        (0x0000_0000_0001_0000_0000_0001_0000_0000, "::1:0:0:1:0:0"),           // three-way tie: first
        (0x0001_0000_0000_0001_0000_0000_0000_0001, "1:0:0:1::1"),              // later run longer
        (0x2001_0DB8_AAAA_BBBB_CCCC_DDDD_EEEE_AAAA, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"), // lower case (4.3)
        (0x00AB_0000_0000_0000_0000_0000_0000_0CD0, "ab::cd0"),                 // leading zeros dropped (4.1)
        (UInt128.max, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        (0xFE80_0000_0000_0000_0000_0000_0000_0001, "fe80::1"),
        (0x2603_1020_0206_0000_0000_0000_0000_07D0, "2603:1020:206::7d0"),
        (0xFFFF_0102_0304, "::ffff:1.2.3.4"),                                   // IPv4-mapped: dotted quad (5)
        (0xFFFF_0000_0000, "::ffff:0.0.0.0"),
        (0xFFFF_FFFF_FFFF, "::ffff:255.255.255.255"),
        (0x0102_0304, "::102:304"),                                             // IPv4-compatible is not mapped
        (0xFFFF_0000_0102_0304, "::ffff:0:102:304"),                            // SIIT-translated is not mapped
        (0x0001_0000_0000_0000_0000_FFFF_0102_0304, "1::ffff:102:304"),         // not in ::ffff:0:0/96
        (0x0064_FF9B_0000_0000_0000_0000_0102_0304, "64:ff9b::102:304"),
    ]

    @Test(arguments: ipv4)
    func ipv4FormatsAsDottedQuad(_ bits: UInt32, _ text: String) {
        #expect(IPv4Address(bits: bits).description == text)
        #expect(IPAddress.v4(IPv4Address(bits: bits)).description == text)
    }

    @Test(arguments: ipv6)
    func ipv6FormatsPerRFC5952(_ bits: UInt128, _ text: String) {
        #expect(IPv6Address(bits: bits).description == text)
        #expect(IPAddress.v6(IPv6Address(bits: bits)).description == text)
        #expect(SlowAddressFormatter.ipv6(bits) == text)   // the reference agrees with the table
    }

    @Test func prefixesFormatAsAddressSlashLength() {
        #expect(IPv4Prefix(address: IPv4Address(10, 0, 0, 0), length: 8)!.description == "10.0.0.0/8")
        #expect(IPv4Prefix(address: IPv4Address(bits: 0), length: 0)!.description == "0.0.0.0/0")
        #expect(IPv4Prefix(address: IPv4Address(1, 2, 3, 4), length: 32)!.description == "1.2.3.4/32")
        #expect(IPv6Prefix(address: IPv6Address(bits: 0), length: 0)!.description == "::/0")
        #expect(IPv6Prefix(address: IPv6Address(bits: 1), length: 128)!.description == "::1/128")
        #expect(IPv6Prefix(address: IPv6Address(bits: 0x2001_0DB8 << 96), length: 32)!.description == "2001:db8::/32")
        #expect(IPv6Prefix(address: IPv6Address(bits: 0xFFFF_0102_0300), length: 120)!.description == "::ffff:1.2.3.0/120")
        #expect(IPPrefix.v4(IPv4Prefix(address: IPv4Address(20, 62, 130, 0), length: 24)!).description == "20.62.130.0/24")
    }

    @Test func writeAppendsToExistingBytes() {
        var out = Array("x=".utf8)
        IPv4Prefix(address: IPv4Address(10, 0, 0, 0), length: 8)!.write(to: &out)
        out.append(UInt8(ascii: ","))
        IPv6Address(bits: 1).write(to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=10.0.0.0/8,::1")
    }

    /// Random addresses biased towards zero groups (so runs, ties and mapped forms are common),
    /// formatted by the fast writer and the slow reference.
    @Test func formattingMatchesSlowReference() {
        var rng = SplitMix64(seed: 5952)
        for _ in 0..<RandomIterations.count {
            let v6 = RandomAddresses.ipv6(&rng)
            #expect(IPv6Address(bits: v6).description == SlowAddressFormatter.ipv6(v6), "\(String(v6, radix: 16))")
            let v4 = UInt32(truncatingIfNeeded: rng.next())
            #expect(IPv4Address(bits: v4).description == SlowAddressFormatter.ipv4(v4))
        }
    }

    @Test func formattedAddressesParseBackToTheSameValue() throws {
        var rng = SplitMix64(seed: 4291)
        for _ in 0..<RandomIterations.count {
            let v6 = IPv6Address(bits: RandomAddresses.ipv6(&rng))
            #expect(try IPv6Address(parsing: v6.description) == v6)
            #expect(try IPAddress(parsing: v6.description) == .v6(v6))
            let v4 = IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next()))
            #expect(try IPv4Address(parsing: v4.description) == v4)
            let p4 = IPv4Prefix(masking: v4, length: rng.int(in: 0...32))
            #expect(try IPPrefix(parsing: p4.description) == .v4(p4))
            let p6 = IPv6Prefix(masking: v6, length: rng.int(in: 0...128))
            #expect(try IPPrefix(parsing: p6.description) == .v6(p6))
        }
    }
}

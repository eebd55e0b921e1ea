import Testing
import ServiceTags

@Suite struct AddressExtractorTests {
    @Test(arguments: [
        ("GET / from 20.62.130.5 200", ["20.62.130.5"]),
        ("src=10.0.0.1:443 dst=[2603:1030:210::185]:8443", ["10.0.0.1", "2603:1030:210::185"]),
        ("client 2603:1030:210::185, then 20.62.130.5.", ["2603:1030:210::185", "20.62.130.5"]),
        ("::ffff:20.62.130.5 is mapped", ["20.62.130.5"]),              // mapped IPv6 comes back as IPv4
        ("loopback ::1 and all-zero ::", ["::1", "::"]),
        ("at 12:34:56 version 1.2.3 build 0a1b", []),                   // timestamps, versions, hex words
        ("leading zero 010.0.0.1 is not an address", []),               // strict parsing, no octal guesses
        ("from:10.0.0.1", ["10.0.0.1"]),
        ("deadbeef cafe::1 face", ["cafe::1"]),
        ("", []),
    ])
    func findsTheAddressesInALine(line: String, expected: [String]) throws {
        let want = try expected.map { try IPAddress(parsing: $0).unmapped }
        #expect(AddressExtractor.addresses(in: line) == want)
    }
}

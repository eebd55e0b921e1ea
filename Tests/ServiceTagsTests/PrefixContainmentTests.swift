import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Containment, bounds, masks and ordering, checked against bit-string references (a prefix contains
/// an address when their first `length` binary digits are equal) and hand-written tables.
@Suite struct PrefixContainmentTests {
    static func p(_ text: String) -> IPPrefix { IPPrefix(text)! }
    static func a(_ text: String) -> IPAddress { IPAddress(text)! }

    static let containment: [(String, String, Bool)] = [
        ("0.0.0.0/0", "0.0.0.0", true),
        ("0.0.0.0/0", "255.255.255.255", true),
        ("0.0.0.0/0", "20.62.130.5", true),
        ("10.0.0.0/8", "10.0.0.0", true),
        ("10.0.0.0/8", "10.255.255.255", true),
        ("10.0.0.0/8", "11.0.0.0", false),
        ("10.0.0.0/8", "9.255.255.255", false),
        ("1.2.3.4/32", "1.2.3.4", true),
        ("1.2.3.4/32", "1.2.3.5", false),
        ("1.2.3.4/32", "1.2.3.3", false),
        ("128.0.0.0/1", "127.255.255.255", false),
        ("128.0.0.0/1", "128.0.0.0", true),
        ("::/0", "::", true),
        ("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
        ("::1/128", "::1", true),
        ("::1/128", "::", false),
        ("::1/128", "::2", false),
        ("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true),
        ("2001:db8::/32", "2001:db9::", false),
        ("2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false),
        ("::ffff:0.0.0.0/96", "::ffff:1.2.3.4", true),
        ("0.0.0.0/0", "::ffff:1.2.3.4", false),     // an IPv4 prefix never contains an IPv6 address
        ("::/0", "1.2.3.4", false),                 // nor the reverse (callers unmap first)
    ]

    @Test(arguments: containment)
    func containsAddressTable(_ prefix: String, _ address: String, _ expected: Bool) {
        #expect(Self.p(prefix).contains(Self.a(address)) == expected)
    }

    @Test func boundsOfPrefixes() throws {
        let tenSlash8 = IPv4Prefix(address: IPv4Address(10, 0, 0, 0), length: 8)!
        #expect(tenSlash8.first == IPv4Address(10, 0, 0, 0))
        #expect(tenSlash8.last == IPv4Address(10, 255, 255, 255))
        let all4 = IPv4Prefix(address: IPv4Address(bits: 0), length: 0)!
        #expect(all4.last == IPv4Address(bits: .max))
        let one4 = IPv4Prefix(address: IPv4Address(1, 2, 3, 4), length: 32)!
        #expect(one4.first == one4.last && one4.isSingleAddress)
        let all6 = IPv6Prefix(address: IPv6Address(bits: 0), length: 0)!
        #expect(all6.last.bits == .max && !all6.isSingleAddress)
        let one6 = IPv6Prefix(address: IPv6Address(bits: 1), length: 128)!
        #expect(one6.first == one6.last && one6.isSingleAddress)
        let doc = try #require(IPv6Prefix(address: IPv6Address(parsing: "2001:db8::"), length: 32))
        #expect(doc.last.description == "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")
    }

    @Test func masksForEveryLength() {
        for length in 0...32 {
            let reference = (0..<length).reduce(UInt32(0)) { $0 | 1 << (31 - UInt32($1)) }
            #expect(IPv4Address.mask(length: length) == reference, "/\(length)")
        }
        for length in 0...128 {
            let reference = (0..<length).reduce(UInt128(0)) { $0 | 1 << (127 - UInt128($1)) }
            #expect(IPv6Address.mask(length: length) == reference, "/\(length)")
        }
    }

    static func binary<B: FixedWidthInteger>(_ x: B) -> String {
        let s = String(x, radix: 2)
        return String(repeating: "0", count: B.bitWidth - s.count) + s
    }

    /// `contains`, `overlaps` and `last` against bit strings, for random prefixes of every length
    /// including /0, /32 and /128, and addresses chosen near them.
    @Test func containmentMatchesBitStringReference() {
        var rng = SplitMix64(seed: 4632)
        for _ in 0..<RandomIterations.count {
            let p4 = IPv4Prefix(masking: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: rng.int(in: 0...32))
            let q4 = IPv4Prefix(masking: rng.chance(0.5) ? p4.address : IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: rng.int(in: 0...32))
            let a4 = IPv4Address(bits: rng.chance(0.5) ? p4.address.bits ^ UInt32(truncatingIfNeeded: rng.next()) >> rng.int(in: 0...32) : p4.last.bits &+ UInt32(rng.int(in: 0...1)))
            check(p4, q4, a4)
            let p6 = IPv6Prefix(masking: IPv6Address(bits: RandomAddresses.ipv6(&rng)), length: rng.int(in: 0...128))
            let q6 = IPv6Prefix(masking: rng.chance(0.5) ? p6.address : IPv6Address(bits: RandomAddresses.ipv6(&rng)), length: rng.int(in: 0...128))
            let a6 = IPv6Address(bits: rng.chance(0.5) ? p6.address.bits ^ rng.bits128() >> rng.int(in: 0...128) : p6.last.bits &+ UInt128(rng.int(in: 0...1)))
            check(p6, q6, a6)
        }
    }

    func check<A: IPAddressFamily>(_ p: Prefix<A>, _ q: Prefix<A>, _ a: A) {
        let pBits = Self.binary(p.address.bits).prefix(Int(p.length))
        let qBits = Self.binary(q.address.bits).prefix(Int(q.length))
        #expect(p.contains(a) == Self.binary(a.bits).hasPrefix(pBits), "\(p) ∋ \(a)")
        #expect(p.contains(q) == qBits.hasPrefix(pBits), "\(p) ⊇ \(q)")
        #expect(p.overlaps(q) == (qBits.hasPrefix(pBits) || pBits.hasPrefix(qBits)), "\(p) ∩ \(q)")
        let last = String(pBits) + String(repeating: "1", count: A.bitWidth - Int(p.length))
        #expect(Self.binary(p.last.bits) == last, "last of \(p)")
    }

    static let sorted: [String] = [
        "0.0.0.0/0", "0.0.0.0/8", "0.0.0.0/32", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.1/32",
        "10.1.0.0/16", "255.255.255.255/32",
        "::/0", "::/128", "::1/128", "::ffff:1.2.3.4/128", "2001:db8::/32", "2001:db8::/48", "ffff::/16",
    ]

    /// IPv4 before IPv6; within a family by address, then by length (shorter first).
    @Test func prefixesSortByFamilyThenAddressThenLength() {
        let prefixes = Self.sorted.map(Self.p)
        var rng = SplitMix64(seed: 7)
        var shuffled = prefixes
        for _ in 0..<20 {
            rng.shuffle(&shuffled)
            #expect(shuffled.sorted() == prefixes)
        }
        #expect(prefixes.map(\.description) == Self.sorted)
    }

    @Test func randomPrefixesSortLikeTheReferenceKey() {
        var rng = SplitMix64(seed: 8)
        let prefixes: [IPPrefix] = (0..<300).map { _ in
            rng.chance(0.5)
                ? .v4(IPv4Prefix(masking: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next()) >> rng.int(in: 0...32)), length: rng.int(in: 0...32)))
                : .v6(IPv6Prefix(masking: IPv6Address(bits: RandomAddresses.ipv6(&rng)), length: rng.int(in: 0...128)))
        }
        // Reference key: family rank, then the address as a fixed-width binary string, then length.
        func key(_ p: IPPrefix) -> (Int, String, Int) {
            switch p {
            case .v4(let x): (0, Self.binary(x.address.bits), Int(x.length))
            case .v6(let x): (1, Self.binary(x.address.bits), Int(x.length))
            }
        }
        #expect(prefixes.sorted() == prefixes.sorted { key($0) < key($1) })
    }

    @Test func addressesSortIPv4BeforeIPv6() {
        let addresses = ["0.0.0.0", "1.2.3.4", "255.255.255.255", "::", "::1", "::ffff:0.0.0.0", "fe80::1"].map(Self.a)
        #expect(addresses.reversed().sorted() == addresses)
        #expect(Self.a("255.255.255.255") < Self.a("::"))
        #expect(!(Self.a("::") < Self.a("0.0.0.0")))
    }

    @Test func familyAccessors() {
        #expect(Self.p("10.0.0.0/8").isIPv4 && Self.p("10.0.0.0/8").length == 8)
        #expect(!Self.p("::/0").isIPv4 && Self.p("::1/128").length == 128)
        #expect(Self.a("1.2.3.4").isIPv4 && !Self.a("::1").isIPv4)
    }
}

extension SplitMix64 {
    mutating func bits128() -> UInt128 { UInt128(next()) << 64 | UInt128(next()) }
}

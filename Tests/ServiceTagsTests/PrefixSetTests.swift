import ServiceTagsTestSupport
import Testing

/// Hand-picked edge cases; the random differential suites live in PrefixSetDifferentialTests.
@Suite struct PrefixSetTests {
    typealias T = SetTesting

    @Test func emptySet() {
        let empty = PrefixSet<IPv4Address>()
        #expect(empty.isEmpty && empty.ranges.isEmpty && empty.prefixes().isEmpty)
        #expect(empty.addressCount == .zero)
        #expect(!empty.contains(T.a4("0.0.0.0")) && !empty.contains(T.v4("0.0.0.0/0")))
        #expect(PrefixSet<IPv4Address>([]) == empty)
        #expect(empty.complement() == .all)
        #expect(empty.union(empty) == empty && empty.subtracting(.all) == empty)
        #expect(empty.isSubset(of: empty) && empty.isDisjoint(with: .all))
        #expect(aggregate([IPv6Prefix]()) == [])
    }

    @Test func slashZeroInBothFamilies() {
        let all4 = PrefixSet([T.v4("0.0.0.0/0")]), all6 = PrefixSet([T.v6("::/0")])
        #expect(all4 == .all && all6 == .all)
        #expect(all4.prefixes() == [T.v4("0.0.0.0/0")] && all6.prefixes() == [T.v6("::/0")])
        #expect(all4.addressCount.exactValue == 1 << 32)
        #expect(all6.addressCount == .ipv6Space && all6.addressCount.exactValue == nil)
        #expect(all4.complement().isEmpty && all6.complement().isEmpty)
        #expect(all6.contains(T.a6("::")) && all6.contains(IPv6Address(bits: .max)))
        // The two halves merge back into the /0.
        #expect(aggregate([T.v6("8000::/1"), T.v6("::/1")]) == [T.v6("::/0")])
        #expect(aggregate([T.v4("128.0.0.0/1"), T.v4("0.0.0.0/1")]) == [T.v4("0.0.0.0/0")])
    }

    @Test func rangesEndingAtTheLastAddressAbsorbWhatFollows() {
        // Regression: `last == ~0` compared against Int(-1) through the heterogeneous BinaryInteger
        // `==`, so a range ending at the family's last address did not absorb a later one.
        let v4 = PrefixSet([T.v4("255.0.0.0/8"), T.v4("255.255.255.255/32"), T.v4("255.255.255.0/24")])
        #expect(v4.ranges == [T.r4("255.0.0.0", "255.255.255.255")])
        let max6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        let v6 = PrefixSet([T.v6("ff00::/8"), T.v6(max6 + "/128")])
        #expect(v6.ranges == [T.r6("ff00::", max6)])
        #expect(v6.union(PrefixSet([T.v6(max6 + "/128")])) == v6)
        #expect(PrefixSet<IPv4Address>.isCanonical(v4.ranges))
        #expect(!PrefixSet<IPv4Address>.isCanonical([T.r4("255.0.0.0", "255.255.255.255"), T.r4("255.255.255.255", "255.255.255.255")]))
        #expect(v4.complement().ranges == [T.r4("0.0.0.0", "254.255.255.255")])
    }

    @Test func singleAddressesAtBothEnds() {
        let set = PrefixSet([T.v4("255.255.255.255/32"), T.v4("0.0.0.0/32")])
        #expect(set.ranges == [T.r4("0.0.0.0", "0.0.0.0"), T.r4("255.255.255.255", "255.255.255.255")])
        #expect(set.complement().ranges == [T.r4("0.0.0.1", "255.255.255.254")])
        #expect(set.complement().prefixes().count == 62)
        #expect(set.addressCount == AddressCount(2))
        let six = PrefixSet([T.v6("::/128"), T.v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")])
        #expect(six.complement().addressCount == AddressCount(UInt128.max - 1))
        #expect(six.union(six.complement()) == .all)
    }

    @Test func complementKeepsOneAddressHoles() {
        let set = PrefixSet(["0.0.0.1/32", "10.0.0.0/32", "10.0.0.2/32"].map(T.v4))
        #expect(set.complement().ranges == [T.r4("0.0.0.0", "0.0.0.0"), T.r4("0.0.0.2", "9.255.255.255"),
                                            T.r4("10.0.0.1", "10.0.0.1"), T.r4("10.0.0.3", "255.255.255.255")])
        #expect(set.complement().complement() == set)
    }

    @Test func adjacentPrefixesMerge() {
        #expect(aggregate([T.v4("10.0.0.128/25"), T.v4("10.0.0.0/25")]) == [T.v4("10.0.0.0/24")])
        // Three adjacent /24s are one range but two prefixes: the run starts on a /23 boundary.
        let three = PrefixSet(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"].map(T.v4))
        #expect(three.ranges == [T.r4("10.0.0.0", "10.0.2.255")])
        #expect(three.prefixes() == [T.v4("10.0.0.0/23"), T.v4("10.0.2.0/24")])
        // Adjacent but misaligned: one range, no merge into a /23.
        #expect(aggregate([T.v4("10.0.1.0/24"), T.v4("10.0.2.0/24")]) == [T.v4("10.0.1.0/24"), T.v4("10.0.2.0/24")])
        // Touching ranges coalesce in unions too.
        #expect(PrefixSet(T.r4("10.0.0.0", "10.0.0.5")).union(PrefixSet(T.r4("10.0.0.6", "10.0.0.9"))).ranges ==
                [T.r4("10.0.0.0", "10.0.0.9")])
    }

    @Test func nestedAndDuplicatePrefixesCollapse() {
        let input = ["10.1.0.0/16", "10.0.0.0/8", "10.1.2.3/32", "10.0.0.0/8", "10.255.255.255/32"].map(T.v4)
        #expect(aggregate(input) == [T.v4("10.0.0.0/8")])
        #expect(aggregate([T.v6("2001:db8::/32"), T.v6("2001:db8::/32"), T.v6("2001:db8:1::/48")]) == [T.v6("2001:db8::/32")])
    }

    @Test func symmetricDifferenceRecoalescesAcrossHalves() {
        let a = PrefixSet(T.r4("10.0.0.0", "10.0.0.5")), b = PrefixSet(T.r4("10.0.0.6", "10.0.0.9"))
        #expect(a.symmetricDifference(b).ranges == [T.r4("10.0.0.0", "10.0.0.9")])
        #expect(a.symmetricDifference(a).isEmpty)
    }

    @Test func containsPrefixNeedsEveryAddress() {
        let set = PrefixSet([T.v4("10.0.0.0/24"), T.v4("10.0.1.0/25")])
        #expect(set.contains(T.v4("10.0.0.0/23")) == false)
        #expect(set.contains(T.v4("10.0.0.128/25")))
        #expect(set.contains(T.r4("10.0.0.200", "10.0.1.127")))
        #expect(!set.contains(T.r4("10.0.0.200", "10.0.1.128")))
        #expect(set.overlaps(T.v4("10.0.0.0/23")) && !set.overlaps(T.v4("10.0.1.128/25")))
        #expect(!set.contains(T.a4("9.255.255.255")) && set.contains(T.a4("10.0.0.0")))
    }

    @Test func equalityIsSetEquality() {
        let a = PrefixSet([T.v4("10.0.0.0/24")])
        let b = PrefixSet(ranges: [T.r4("10.0.0.128", "10.0.0.255"), T.r4("10.0.0.0", "10.0.0.200")])
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
        #expect(a != PrefixSet([T.v4("10.0.0.0/25")]))
    }

    @Test func roundTripThroughPrefixes() {
        let set = PrefixSet(ranges: [T.r4("10.0.0.1", "10.0.0.6"), T.r4("192.168.0.0", "192.168.3.17")])
        #expect(PrefixSet(set.prefixes()) == set)
        #expect(aggregate(set.prefixes()) == set.prefixes())
    }
}

@Suite struct PrefixSetAddressCountTests {
    @Test func decimalTextIsExactBeyondUInt128() {
        #expect(AddressCount.ipv6Space.description == "340282366920938463463374607431768211456")
        #expect((AddressCount.ipv6Space + .ipv4Space).description == "340282366920938463463374607436063178752")
        #expect(AddressCount(UInt128.max).description == "340282366920938463463374607431768211455")
        // 2^129 - 1: high = 1 and low = max, the largest value with one carry.
        #expect((AddressCount(UInt128.max) + AddressCount(UInt128.max) + AddressCount(1)).description ==
                "680564733841876926926749214863536422911")
        #expect(AddressCount(high: 0, low: 0).description == "0")
        // 2^64 * 10^19 exercises a zero-padded inner group.
        #expect(AddressCount(high: 0, low: UInt128(UInt64.max) + 1).description == "18446744073709551616")
    }

    @Test func orderingAndExactValue() {
        #expect(AddressCount(UInt128.max) < .ipv6Space)
        #expect(AddressCount(5) < AddressCount(6) && !(AddressCount.ipv6Space < AddressCount(7)))
        #expect(AddressCount(42).exactValue == 42 && AddressCount.ipv6Space.exactValue == nil)
        #expect(AddressCount.ipv6Space.doubleValue == 0x1p128)
        #expect(AddressCount.rangeSize(first: UInt128(0), last: .max) == .ipv6Space)
        #expect(AddressCount.rangeSize(first: UInt32(7), last: 7) == AddressCount(1))
    }
}

@Suite struct PrefixSetIPSetTests {
    typealias T = SetTesting

    @Test func familiesStaySeparate() throws {
        let set = IPSet(try ["2001:db8::/33", "10.0.0.0/25", "2001:db8:8000::/33", "10.0.0.128/25"].map { try IPPrefix(parsing: $0) })
        #expect(set.prefixes().map(\.description) == ["10.0.0.0/24", "2001:db8::/32"])
        #expect(set.v4 == PrefixSet([T.v4("10.0.0.0/24")]))
        #expect(set.contains(.v4(T.a4("10.0.0.7"))) && !set.contains(.v6(T.a6("::ffff:10.0.0.7"))))
        #expect(set.contains(try IPPrefix(parsing: "2001:db8:1::/48")))
        #expect(set.addressCount == AddressCount(256 + (1 << 96)))
        #expect(aggregate(try ["::/0", "0.0.0.0/0"].map { try IPPrefix(parsing: $0) }).map(\.description) == ["0.0.0.0/0", "::/0"])
        #expect((IPSet(v6: .all).addressCount + AddressCount(0)) == .ipv6Space)
        let other = IPSet(v4: PrefixSet([T.v4("10.0.0.0/25")]))
        #expect(set.intersection(other) == other && set.subtracting(other).v4 == PrefixSet([T.v4("10.0.0.128/25")]))
        #expect(other.isSubset(of: set) && !set.isSubset(of: other))
        #expect(set.symmetricDifference(set).isEmpty && set.union(other) == set)
    }
}

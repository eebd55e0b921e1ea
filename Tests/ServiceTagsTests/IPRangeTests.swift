import ServiceTagsTestSupport
import Testing

@Suite struct IPRangeTests {
    typealias T = SetTesting

    @Test func initRejectsFirstAfterLast() {
        #expect(IPRange(first: T.a4("10.0.0.2"), last: T.a4("10.0.0.1")) == nil)
        #expect(IPRange(first: T.a4("10.0.0.2"), last: T.a4("10.0.0.2")) != nil)
        #expect(IPRange(first: T.a6("::2"), last: T.a6("::1")) == nil)
    }

    @Test func containsAndOverlapsAreInclusive() {
        let r = T.r4("10.0.0.10", "10.0.0.20")
        #expect(r.contains(T.a4("10.0.0.10")) && r.contains(T.a4("10.0.0.20")))
        #expect(!r.contains(T.a4("10.0.0.9")) && !r.contains(T.a4("10.0.0.21")))
        #expect(r.overlaps(T.r4("10.0.0.20", "10.0.0.30")))
        #expect(r.overlaps(T.r4("10.0.0.0", "10.0.0.10")))
        #expect(!r.overlaps(T.r4("10.0.0.21", "10.0.0.30")))
        #expect(!r.overlaps(T.r4("10.0.0.0", "10.0.0.9")))
        #expect(r.contains(T.r4("10.0.0.10", "10.0.0.20")) && !r.contains(T.r4("10.0.0.9", "10.0.0.20")))
    }

    @Test func workedExampleFromTheDocComment() {
        #expect(T.r4("10.0.0.1", "10.0.0.6").prefixes() ==
                ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"].map(T.v4))
    }

    @Test func fullRangesAreTheSlashZero() {
        #expect(IPv4Range.all.prefixes() == [T.v4("0.0.0.0/0")])
        #expect(IPv6Range.all.prefixes() == [T.v6("::/0")])
        #expect(IPv6Range.all.prefix == T.v6("::/0"))
        #expect(IPv4Range(T.v4("0.0.0.0/0")) == .all)
        #expect(IPv6Range.all.addressCount == .ipv6Space)
        #expect(IPv4Range.all.addressCount == .ipv4Space)
    }

    @Test func singleAddressRangesAtBothEnds() {
        #expect(T.r4("0.0.0.0", "0.0.0.0").prefixes() == [T.v4("0.0.0.0/32")])
        #expect(T.r4("255.255.255.255", "255.255.255.255").prefixes() == [T.v4("255.255.255.255/32")])
        #expect(T.r6("::", "::").prefixes() == [T.v6("::/128")])
        let max6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        #expect(T.r6(max6, max6).prefixes() == [T.v6(max6 + "/128")])
        #expect(T.r6(max6, max6).addressCount == AddressCount(1))
    }

    @Test func worstCaseRangesNeedTwoPrefixesPerBitBelowTheTop() {
        // 1...max-1: every length from /32 down to /1 on the left and back on the right.
        let v4 = T.r4("0.0.0.1", "255.255.255.254").prefixes()
        #expect(v4.count == 62)
        #expect(v4.first == T.v4("0.0.0.1/32") && v4.last == T.v4("255.255.255.254/32"))
        let v6 = T.r6("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe").prefixes()
        #expect(v6.count == 254)
        // 1...max: no overflow when the last block ends at the family's last address.
        #expect(T.r6("::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").prefixes().count == 128)
        #expect(T.r4("0.0.0.0", "255.255.255.254").prefixes().count == 32)
    }

    @Test func prefixPropertyIsSetOnlyForExactPrefixes() {
        #expect(T.r4("10.0.0.0", "10.0.0.255").prefix == T.v4("10.0.0.0/24"))
        #expect(T.r4("10.0.0.0", "10.0.0.254").prefix == nil)
        #expect(T.r4("10.0.0.1", "10.0.1.0").prefix == nil) // size 256 but misaligned
        #expect(T.r4("10.0.0.7", "10.0.0.7").prefix == T.v4("10.0.0.7/32"))
    }

    @Test func descriptionIsFirstDashLast() {
        #expect(T.r4("10.0.0.1", "10.0.0.6").description == "10.0.0.1-10.0.0.6")
        #expect(T.r6("::1", "::ffff").description == "::1-::ffff")
    }

    @Test func storageIsCompact() {
        #expect(MemoryLayout<IPv4Range>.stride == 8)
        #expect(MemoryLayout<IPv6Range>.stride == 32)
    }
}

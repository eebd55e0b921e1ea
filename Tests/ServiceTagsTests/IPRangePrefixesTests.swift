import ServiceTagsTestSupport
import Testing

/// `IPRange.prefixes()` against the trie-walking reference over the whole family, for both families.
@Suite struct IPRangePrefixesTests {
    typealias T = SetTesting

    func check<A>(_ range: IPRange<A>) {
        let got = range.prefixes()
        let want = ReferenceRangeCover.prefixes(first: range.first, last: range.last)
        #expect(got == want, "range \(range)")
        // Independent of the reference: contiguous exact cover with a minimal shape.
        #expect(got.first?.first == range.first && got.last?.last == range.last, "range \(range)")
        for (p, q) in zip(got, got.dropFirst()) where p.last.bits &+ 1 != q.first.bits {
            Issue.record("gap or overlap between \(p) and \(q) in \(range)")
        }
        #expect(T.isMinimalShape(got), "range \(range)")
        #expect(range.prefix == (want.count == 1 ? want[0] : nil), "range \(range)")
    }

    @Test(arguments: [1, 2, 3])
    func randomIPv4RangesMatchTheReference(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<T.iterations(400) {
            // Random block, then a random range inside it: covers tiny and huge ranges alike.
            let block = Prefix<IPv4Address>.randomAnywhere(using: &rng)
            check(IPRange.random(in: Prefix(masking: block.address, length: Int(block.length) / 2), using: &rng))
        }
    }

    @Test(arguments: [1, 2, 3])
    func randomIPv6RangesMatchTheReference(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<T.iterations(400) {
            let block = Prefix<IPv6Address>.randomAnywhere(using: &rng)
            check(IPRange.random(in: Prefix(masking: block.address, length: Int(block.length) / 2), using: &rng))
        }
    }

    @Test func edgeRangesMatchTheReference() {
        let max4 = IPv4Address(bits: .max), max6 = IPv6Address(bits: .max)
        for (f, l) in [(0, UInt32.max), (0, 0), (UInt32.max, UInt32.max), (1, UInt32.max), (0, UInt32.max - 1),
                       (1, UInt32.max - 1), (0x7FFF_FFFF, 0x8000_0000), (0x8000_0000, UInt32.max)] {
            check(IPRange(first: IPv4Address(bits: f), last: IPv4Address(bits: l))!)
        }
        for (f, l) in [(0, UInt128.max), (0, 0), (UInt128.max, UInt128.max), (1, UInt128.max),
                       (0, UInt128.max - 1), (1 << 127 - 1, 1 << 127)] as [(UInt128, UInt128)] {
            check(IPRange(first: IPv6Address(bits: f), last: IPv6Address(bits: l))!)
        }
        check(IPRange(first: max4, last: max4)!)
        check(IPRange(first: max6, last: max6)!)
    }

    @Test(arguments: [1, 2])
    func everyPrefixIsItsOwnCover(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<T.iterations(300) {
            let p4 = Prefix<IPv4Address>.randomAnywhere(using: &rng)
            #expect(IPRange(p4).prefixes() == [p4])
            let p6 = Prefix<IPv6Address>.randomAnywhere(using: &rng)
            #expect(IPRange(p6).prefixes() == [p6] && IPRange(p6).prefix == p6)
        }
    }
}

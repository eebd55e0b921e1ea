import Testing
@testable import ServiceTags
import ServiceTagsTestSupport

@Suite struct PrefixTrieTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func mostSpecificMatchAgreesWithLinearScan(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 1, prefixesPerTag: 1...300)
        let trie4 = PrefixTrie(tags[0].ipv4)
        let trie6 = PrefixTrie(tags[0].ipv6)
        #expect(Array(trie4.prefixes) == Array(Set(tags[0].ipv4)).sorted())
        #expect(Array(trie6.prefixes) == Array(Set(tags[0].ipv6)).sorted())
        #expect(trie4._arena.nodeCount <= 2 * trie4.count + 1)
        for address in IndexRandomData.probes(tags, &rng, random: 300) {
            let want = ReferenceTagTable.linear(tags, address).first?.prefix
            switch address {
            case .v4(let a): #expect(trie4.mostSpecific(containing: a).map(IPPrefix.v4) == want, "\(address)")
            case .v6(let a): #expect(trie6.mostSpecific(containing: a).map(IPPrefix.v6) == want, "\(address)")
            }
        }
    }

    @Test(arguments: [11, 12, 13])
    func prefixQueriesAgreeWithLinearScan(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 1, prefixesPerTag: 50...200)
        let trie4 = PrefixTrie(tags[0].ipv4)
        let trie6 = PrefixTrie(tags[0].ipv6)
        for _ in 0..<2000 {
            let q4 = IPPrefix.v4(IndexRandomData.prefix4(&rng))
            let q6 = IPPrefix.v6(IndexRandomData.prefix6(&rng))
            if case .v4(let x) = q4 {
                #expect(trie4.mostSpecific(containing: x).map(IPPrefix.v4) == ReferenceTagTable.linear(tags, containing: q4).first?.prefix)
            }
            if case .v6(let x) = q6 {
                #expect(trie6.mostSpecific(containing: x).map(IPPrefix.v6) == ReferenceTagTable.linear(tags, containing: q6).first?.prefix)
            }
        }
    }

    @Test func edgeCases() throws {
        let empty = PrefixTrie<IPv4Address>([])
        #expect(empty.mostSpecific(containing: IPv4Address(bits: 0)) == nil)
        let all = PrefixTrie([IPv4Prefix(masking: IPv4Address(bits: 0), length: 0)])
        #expect(all.contains(IPv4Address(bits: .max)))
        let host = IPv6Prefix(masking: IPv6Address(bits: .max), length: 128)
        let t6 = PrefixTrie([host, IPv6Prefix(masking: IPv6Address(bits: .max), length: 127)])
        #expect(t6.mostSpecific(containing: IPv6Address(bits: .max)) == host)
        #expect(t6.mostSpecific(containing: IPv6Address(bits: .max - 1))?.length == 127)
        #expect(t6.mostSpecific(containing: IPv6Address(bits: .max - 2)) == nil)
        // Adjacent siblings under a branch node that is not itself stored.
        let a = try IPPrefix(parsing: "192.168.0.0/24"), b = try IPPrefix(parsing: "192.168.1.0/24")
        guard case .v4(let pa) = a, case .v4(let pb) = b else { Issue.record(); return }
        let t = PrefixTrie([pb, pa])
        #expect(t.mostSpecific(containing: try IPv4Address(parsing: "192.168.1.7")) == pb)
        #expect(t.mostSpecific(containing: try IPv4Address(parsing: "192.168.2.0")) == nil)
        #expect(t.mostSpecific(containing: pa) == pa)
        #expect(t.mostSpecific(containing: IPv4Prefix(masking: pa.address, length: 23)) == nil)
    }
}

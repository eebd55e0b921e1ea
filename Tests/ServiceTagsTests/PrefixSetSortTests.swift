import ServiceTagsTestSupport
import Testing

/// Inputs above `PrefixSet`'s radix-sort threshold (128 ranges): unsorted input must give the same
/// set as the same input sorted by the standard library, which takes the no-sort path.
@Suite struct PrefixSetSortTests {
    typealias T = SetTesting

    func run<A: IPAddressFamily>(_: A.Type, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for iteration in 0..<T.iterations(6) {
            let count = Int.random(in: 129...3_000, using: &rng)
            // Half the lists cluster in one random block, half scatter over the family, so both
            // shared high bytes (skipped passes) and varied ones occur.
            let block = Prefix<A>.randomAnywhere(using: &rng)
            let prefixes: [Prefix<A>] = (0..<count).map { _ in
                iteration % 2 == 0 ? .random(in: block, using: &rng) : .randomAnywhere(using: &rng)
            }
            let label = "seed \(seed) iteration \(iteration) count \(count)"
            let viaSortedInput = PrefixSet(prefixes.sorted())
            #expect(PrefixSet(prefixes.shuffled(using: &rng)) == viaSortedInput, "\(label)")
            #expect(PrefixSet(prefixes.sorted(by: >)) == viaSortedInput, "descending: \(label)")
            let ranges = prefixes.map(IPRange.init)
            #expect(PrefixSet(ranges: ranges.shuffled(using: &rng)) == PrefixSet(ranges: ranges.sorted()), "\(label)")
        }
    }

    @Test func ipv4UnsortedInputMatchesSortedInput() { run(IPv4Address.self, seed: 71) }
    @Test func ipv6UnsortedInputMatchesSortedInput() { run(IPv6Address.self, seed: 72) }

    @Test func largeUnsortedIPv4ListMatchesTheBitmapReference() {
        var rng = SplitMix64(seed: 73)
        let universe = T.v4("172.16.0.0/16")
        let prefixes = (0..<2_000).map { _ -> IPv4Prefix in
            Prefix(masking: IPv4Address(bits: universe.address.bits | UInt32.random(in: 0...0xFFFF, using: &rng)),
                   length: Int.random(in: 22...32, using: &rng))
        }
        let ref = ReferenceBitmapSet(universe: universe, prefixes: prefixes)
        let set = PrefixSet(prefixes)
        #expect(set.ranges == ref.runs)
        #expect(set.prefixes() == ref.minimalCover())
    }
}

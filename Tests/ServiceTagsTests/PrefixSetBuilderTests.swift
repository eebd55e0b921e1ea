import ServiceTagsTestSupport
import Testing

/// `PrefixSetBuilder` replays random add/remove sequences exactly like a bitmap edited in place.
@Suite struct PrefixSetBuilderTests {
    typealias T = SetTesting

    func run<A>(universe: Prefix<A>, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for iteration in 0..<T.iterations(40) {
            var builder = PrefixSetBuilder<A>()
            var ref = ReferenceBitmapSet<A>(universe: universe)
            var script: [String] = [] // the operations so far, for the failure message
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                let p = Prefix.random(in: universe, using: &rng)
                let r = IPRange.random(in: universe, using: &rng)
                // Adds twice as likely as removes, so sets do not drain to empty.
                switch Int.random(in: 0..<6, using: &rng) {
                case 0, 1: builder.add(p); ref.insert(p); script.append("+\(p)")
                case 2: builder.add(r); ref.set(first: r.first, last: r.last, to: true); script.append("+\(r)")
                case 3: builder.remove(p); ref.remove(p); script.append("-\(p)")
                case 4: builder.remove(r); ref.set(first: r.first, last: r.last, to: false); script.append("-\(r)")
                default:
                    let s = PrefixSet(Prefix.randomList(in: universe, maxCount: 4, using: &rng))
                    let remove = Bool.random(using: &rng)
                    if remove { builder.remove(s) } else { builder.add(s) }
                    for range in s.ranges { ref.set(first: range.first, last: range.last, to: !remove) }
                    script.append((remove ? "-" : "+") + "\(s.ranges)")
                }
            }
            let set = builder.finish()
            #expect(set.ranges == ref.runs, "seed \(seed) iteration \(iteration): \(script)")
            #expect(PrefixSet<A>.isCanonical(set.ranges))
        }
    }

    @Test(arguments: T.v4Universes)
    func ipv4BuilderMatchesTheBitmapReference(universe: IPv4Prefix) { run(universe: universe, seed: 51) }

    @Test(arguments: T.v6Universes)
    func ipv6BuilderMatchesTheBitmapReference(universe: IPv6Prefix) { run(universe: universe, seed: 61) }

    @Test func orderOfAddAndRemoveMatters() {
        var first = PrefixSetBuilder<IPv4Address>()
        first.add(T.v4("10.0.0.0/24"))
        first.remove(T.v4("10.0.0.0/25"))
        first.add(T.v4("10.0.0.0/26"))
        #expect(first.finish().prefixes() == [T.v4("10.0.0.0/26"), T.v4("10.0.0.128/25")])

        var second = PrefixSetBuilder<IPv4Address>()
        second.add(T.v4("10.0.0.0/26"))
        second.add(T.v4("10.0.0.0/24"))
        second.remove(T.v4("10.0.0.0/25"))
        #expect(second.finish().prefixes() == [T.v4("10.0.0.128/25")])
    }

    @Test func startsFromAnExistingSet() {
        var builder = PrefixSetBuilder(PrefixSet.all as PrefixSet<IPv6Address>)
        builder.remove(T.v6("::/1"))
        #expect(builder.finish().prefixes() == [T.v6("8000::/1")])
        #expect(PrefixSetBuilder<IPv6Address>().finish().isEmpty)
    }
}

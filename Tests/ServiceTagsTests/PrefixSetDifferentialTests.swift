import ServiceTagsTestSupport
import Testing

/// `PrefixSet` against slow references on seeded random data, for both families.
///
/// Bitmap universes: every address of a /22 (IPv4) or /118 (IPv6) is a `Bool`, so set operations,
/// canonical ranges and the minimal cover have an obviously-correct answer. Full-family runs use
/// elementary segments between every input boundary, with membership by linear scan, so the `/0`,
/// address 0 and the family's last address are covered too.
@Suite struct PrefixSetDifferentialTests {
    typealias T = SetTesting

    /// Everything one set must agree on with its reference.
    func check<A>(_ set: PrefixSet<A>, _ ref: ReferenceBitmapSet<A>, _ label: @autoclosure () -> String,
                  using rng: inout SplitMix64) {
        #expect(set.ranges == ref.runs, "ranges: \(label())")
        #expect(ReferenceBitmapSet(universe: ref.universe, ranges: set.ranges) == ref, "expanded: \(label())")
        #expect(set.addressCount == AddressCount(UInt128(ref.count)), "count: \(label())")
        #expect(set.isEmpty == (ref.count == 0), "isEmpty: \(label())")

        let cover = set.prefixes()
        #expect(ReferenceBitmapSet(universe: ref.universe, prefixes: cover) == ref, "cover is exact: \(label())")
        #expect(T.isMinimalShape(cover), "cover shape: \(label())")
        let minimal = ref.minimalCover()
        #expect(cover.count == minimal.count, "cover count: \(label())")
        #expect(cover == minimal, "cover: \(label())")
        #expect(PrefixSet(cover) == set, "round trip: \(label())")

        for _ in 0..<32 {
            let a = ref.address(Int.random(in: 0..<ref.bitmap.count, using: &rng))
            #expect(set.contains(a) == ref.contains(a), "contains \(a): \(label())")
            let p = Prefix.random(in: ref.universe, using: &rng)
            let whole = (ref.offset(p.first)...ref.offset(p.last)).allSatisfy { ref.bitmap[$0] }
            let some = (ref.offset(p.first)...ref.offset(p.last)).contains { ref.bitmap[$0] }
            #expect(set.contains(p) == whole, "contains \(p): \(label())")
            #expect(set.overlaps(p) == some, "overlaps \(p): \(label())")
        }
        for edge in [ref.universe.first, ref.universe.last] {
            #expect(set.contains(edge) == ref.contains(edge), "contains edge \(edge): \(label())")
        }
    }

    func runBitmap<A>(universe: Prefix<A>, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let universeSet = PrefixSet(universe)
        for iteration in 0..<T.iterations(25) {
            // One list in three also gets a dense comb of single addresses (one-address holes).
            var pa = Prefix.randomList(in: universe, maxCount: 24, using: &rng)
            var pb = Prefix.randomList(in: universe, maxCount: 24, using: &rng)
            if iteration % 3 == 1 { pa += Prefix.randomSingles(in: universe, using: &rng) }
            if iteration % 3 == 2 { pb += Prefix.randomSingles(in: universe, using: &rng) }
            let a = PrefixSet(pa), b = PrefixSet(pb)
            let ra = ReferenceBitmapSet(universe: universe, prefixes: pa)
            let rb = ReferenceBitmapSet(universe: universe, prefixes: pb)
            let label = "seed \(seed) iteration \(iteration) universe \(universe)"

            check(a, ra, "a, " + label, using: &rng)
            #expect(PrefixSet(pa.shuffled(using: &rng)) == a, "order independent: \(label)")
            #expect(PrefixSet(pa.sorted()) == a, "sorted input: \(label)")
            #expect(PrefixSet(pa + pa) == a, "duplicates: \(label)")
            #expect(aggregate(pa) == ra.minimalCover(), "aggregate: \(label)")

            check(a.union(b), ra.union(rb), "union, " + label, using: &rng)
            check(a.intersection(b), ra.intersection(rb), "intersection, " + label, using: &rng)
            check(a.subtracting(b), ra.subtracting(rb), "a - b, " + label, using: &rng)
            check(b.subtracting(a), rb.subtracting(ra), "b - a, " + label, using: &rng)
            check(a.symmetricDifference(b), ra.symmetricDifference(rb), "xor, " + label, using: &rng)
            check(a.complement().intersection(universeSet), ra.complement(), "complement, " + label, using: &rng)
            #expect(a.isSubset(of: b) == (ra.subtracting(rb).count == 0), "subset: \(label)")
            #expect(a.isDisjoint(with: b) == (ra.intersection(rb).count == 0), "disjoint: \(label)")

            let rangeSet = PrefixSet(ranges: (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                IPRange.random(in: universe, using: &rng)
            })
            check(rangeSet, ReferenceBitmapSet(universe: universe, ranges: rangeSet.ranges), "ranges, " + label, using: &rng)
        }
    }

    @Test(arguments: T.v4Universes, [11, 12] as [UInt64])
    func ipv4MatchesTheBitmapReference(universe: IPv4Prefix, seed: UInt64) {
        runBitmap(universe: universe, seed: seed)
    }

    @Test(arguments: T.v6Universes, [21, 22] as [UInt64])
    func ipv6MatchesTheBitmapReference(universe: IPv6Prefix, seed: UInt64) {
        runBitmap(universe: universe, seed: seed)
    }

    func runSegments<A: IPAddressFamily>(_: A.Type, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        typealias R = ReferenceRangeCover
        for iteration in 0..<T.iterations(150) {
            let pa = (0..<Int.random(in: 0...10, using: &rng)).map { _ in Prefix<A>.randomAnywhere(using: &rng) }
            let pb = (0..<Int.random(in: 0...10, using: &rng)).map { _ in Prefix<A>.randomAnywhere(using: &rng) }
            let a = PrefixSet(pa), b = PrefixSet(pb)
            let cuts = R.boundaries([pa, pb])
            let label = "seed \(seed) iteration \(iteration) a \(pa) b \(pb)"
            func want(_ member: (A) -> Bool) -> [IPRange<A>] { R.ranges(boundaries: cuts, where: member) }
            func inA(_ x: A) -> Bool { R.contains(pa, x) }
            func inB(_ x: A) -> Bool { R.contains(pb, x) }

            #expect(a.ranges == want(inA), "a: \(label)")
            #expect(a.union(b).ranges == want { inA($0) || inB($0) }, "union: \(label)")
            #expect(a.intersection(b).ranges == want { inA($0) && inB($0) }, "intersection: \(label)")
            #expect(a.subtracting(b).ranges == want { inA($0) && !inB($0) }, "a - b: \(label)")
            #expect(a.symmetricDifference(b).ranges == want { inA($0) != inB($0) }, "xor: \(label)")
            #expect(a.complement().ranges == want { !inA($0) }, "complement: \(label)")

            var cover: [Prefix<A>] = []
            for r in want(inA) { cover += R.prefixes(first: r.first, last: r.last) }
            #expect(a.prefixes() == cover, "cover: \(label)")
            #expect(T.isMinimalShape(a.prefixes()), "cover shape: \(label)")
            #expect(PrefixSet(a.prefixes()) == a, "round trip: \(label)")

            // Membership is constant between cuts, so probing each cut and the address before it
            // exercises every transition.
            for cut in cuts {
                for x in [A(bits: cut), A(bits: cut &- 1)] {
                    #expect(a.contains(x) == inA(x), "contains \(x): \(label)")
                }
            }
        }
    }

    @Test(arguments: [31, 32] as [UInt64])
    func ipv4MatchesTheSegmentReferenceOverTheWholeFamily(seed: UInt64) {
        runSegments(IPv4Address.self, seed: seed)
    }

    @Test(arguments: [41, 42] as [UInt64])
    func ipv6MatchesTheSegmentReferenceOverTheWholeFamily(seed: UInt64) {
        runSegments(IPv6Address.self, seed: seed)
    }
}

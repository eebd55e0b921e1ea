import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `BlockVerdicts` and `SelectedRanges` (what `grep --tag` asks instead of probing the index)
/// against merged intervals of the selected tags' own prefixes, written without the index.
@Suite struct GrepSelectionTablesTests {
    /// A synthetic file, its index, and seeded selections of its tags (none, a few, half, all).
    static func cases(seed: UInt64) -> (ServiceTagsFile, TagIndex, [[Bool]]) {
        let file = SyntheticServiceTags(.init(tags: 60, prefixes: 2_000, seed: seed)).file
        var rng = SplitMix64(seed: seed)
        let selections = [0.0, 0.05, 0.5, 1.0].map { density in file.tags.indices.map { _ in rng.chance(density) } }
        return (file, TagIndexBuilder(file).finish(), selections)
    }

    /// Addresses where membership can change (each prefix's first address and the one after its
    /// last, and the address before each), plus seeded random ones.
    static func probes<A: IPAddressFamily>(_ prefixes: [Prefix<A>], _ rng: inout SplitMix64) -> [A] {
        var out: [A] = []
        for b in ReferenceRangeCover.boundaries([prefixes]) {
            out.append(A(bits: b))
            if b > 0 { out.append(A(bits: b - 1)) }
        }
        for p in prefixes.prefix(200) { out.append(Prefix<A>.random(in: p, using: &rng).first) }
        for _ in 0 ..< 2_000 { out.append(Prefix<A>.randomAnywhere(using: &rng).first) }
        return out
    }

    /// `SelectedRanges` of one family: one range per merged interval of the selected tags'
    /// prefixes, and membership as those intervals decide it, at every boundary and random addresses.
    static func checkRanges<A>(_ file: ServiceTagsFile, _ family: FamilyIndex<A>, _ selections: [[Bool]],
                               _ prefixesOf: (ServiceTag) -> [Prefix<A>], seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for selectedTags in selections {
            let prefixes = file.tags.indices.filter { selectedTags[$0] }.flatMap { prefixesOf(file.tags[$0]) }
            let ranges = SelectedRanges(index: family, selected: family.nodesAnswering(selectedTags))
            let merged = ReferenceIntervals.merged(prefixes)
            #expect(ranges.count == merged.count, "one range per merged interval")
            for a in probes(file.tags.flatMap(prefixesOf), &rng) {
                #expect(ranges.contains(a) == ReferenceIntervals.contains(merged, UInt128(truncatingIfNeeded: a.bits)), "\(a)")
            }
        }
    }

    @Test(arguments: [3, 4] as [UInt64])
    func rangesHoldExactlyTheSelectedTagsAddresses(seed: UInt64) {
        let (file, index, selections) = Self.cases(seed: seed)
        Self.checkRanges(file, index.ipv4, selections, \.ipv4, seed: seed)
        Self.checkRanges(file, index.ipv6, selections, \.ipv6, seed: seed)
    }

    /// Hand-written edges: adjacent prefixes are one range, a one-address gap stays a gap, and the
    /// ranges reach the first and the last address of the family.
    @Test func adjacentPrefixesMergeAndGapsStay() {
        func p4(_ a: UInt32, _ l: Int) -> IPv4Prefix { IPv4Prefix(address: IPv4Address(bits: a), length: l)! }
        let tags = [ServiceTag(name: "A", ipv4: [p4(0, 8), p4(0x0A00_0000, 25), p4(0xFF00_0000, 8)]),
                    ServiceTag(name: "B", ipv4: [p4(0x0A00_0080, 25), p4(0x0A00_0101, 32), p4(0x1400_0000, 8)])]
        let index = TagIndexBuilder(ServiceTagsFile(cloud: "Public", tags: tags)).finish()
        let both = SelectedRanges(index: index.ipv4, selected: index.ipv4.nodesAnswering([true, true]))
        // 0/8, 10.0.0.0/24 (two adjacent /25s), 10.0.1.1, 20/8, 255/8.
        #expect(both.count == 5)
        for (address, inside) in [(0, true), (0x00FF_FFFF, true), (0x0100_0000, false), (0x0A00_00FF, true),
                                  (0x0A00_0100, false), (0x0A00_0101, true), (0x0A00_0102, false), (0xFFFF_FFFF, true)] as [(UInt32, Bool)] {
            #expect(both.contains(IPv4Address(bits: address)) == inside, "\(IPv4Address(bits: address))")
        }
        let onlyB = SelectedRanges(index: index.ipv4, selected: index.ipv4.nodesAnswering([false, true]))
        #expect(onlyB.count == 3)
        #expect(!onlyB.contains(IPv4Address(bits: 0x0A00_007F)) && onlyB.contains(IPv4Address(bits: 0x0A00_0080)))
    }

    /// Every block of 4,096 addresses: `.outside` exactly where no selected prefix meets the block,
    /// `.inside` only where the selected prefixes cover all of it; and every probe address agrees.
    @Test(arguments: [3, 4] as [UInt64])
    func blockVerdictsAreSoundAndOutsideIsExact(seed: UInt64) {
        let (file, index, selections) = Self.cases(seed: seed)
        var rng = SplitMix64(seed: seed)
        let size = UInt128(1) << (32 - BlockVerdicts.blockBits)
        for selectedTags in selections {
            let prefixes = file.tags.indices.filter { selectedTags[$0] }.flatMap { file.tags[$0].ipv4 }
            let verdicts = BlockVerdicts(index: index.ipv4, selected: index.ipv4.nodesAnswering(selectedTags))
            let merged = ReferenceIntervals.merged(prefixes)
            // Coverage of each block that a merged interval meets (the others are covered by nothing).
            var covered: [Int: UInt128] = [:]
            for interval in merged {
                var first = interval.lowerBound
                while first <= interval.upperBound {
                    let block = first / size, blockLast = block * size + size - 1
                    let last = min(interval.upperBound, blockLast)
                    covered[Int(block), default: 0] += last - first + 1
                    if last == UInt128(UInt32.max) { break }
                    first = last + 1
                }
            }
            // All 2^20 blocks; the first disagreement is reported (an #expect per block is slow in debug).
            var inside = 0, wrong: Int? = nil
            for block in 0 ..< (1 << BlockVerdicts.blockBits) {
                let verdict = verdicts.verdict(IPv4Address(bits: UInt32(block) << (32 - BlockVerdicts.blockBits)))
                let amount = covered[block] ?? 0
                if verdict == .inside { inside += 1 }
                if wrong == nil && ((verdict == .outside) != (amount == 0) || (verdict == .inside && amount != size)) { wrong = block }
            }
            #expect(wrong == nil, "block \(wrong ?? 0): verdict disagrees with coverage \(covered[wrong ?? 0] ?? 0)")
            // A selected prefix of a block or more makes its blocks `.inside` (not merely `.mixed`).
            #expect((inside > 0) == prefixes.contains { $0.length <= BlockVerdicts.blockBits })
            for a in Self.probes(file.tags.flatMap(\.ipv4), &rng) {
                let selected = ReferenceIntervals.contains(merged, UInt128(a.bits))
                switch verdicts.verdict(a) {
                case .inside: #expect(selected, "\(a)")
                case .outside: #expect(!selected, "\(a)")
                case .mixed: break
                }
            }
        }
    }
}

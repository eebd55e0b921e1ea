import ServiceTags

/// Synthetic archives and seeded queries for the `stag history` tests (library and CLI).
public enum HistorySamples {
    /// `weeks` files: a generated file, then each week `evolve`d from the one before, with busier
    /// edits than real weeks, and one tag taken out of one middle file so it leaves and comes back.
    public static func archive(weeks: Int, seed: UInt64, tags: Int = 60, prefixes: Int = 900) -> (files: [ServiceTagsFile], gapTag: String) {
        var files = [SyntheticServiceTags(.init(tags: tags, prefixes: prefixes, seed: seed)).file]
        for w in 1..<weeks {
            files.append(SyntheticServiceTags.evolve(files[w - 1], seed: seed &* 31 &+ UInt64(w),
                                                     options: .init(changedTagFraction: 0.3, addedTags: 2, droppedTags: 1)).file)
        }
        // A tag every file has, removed from one file in the middle.
        let everywhere = files[0].tags.map(\.name).filter { n in files.allSatisfy { $0.tags.contains { $0.name == n && $0.prefixCount > 0 } } }
        let gapTag = everywhere[everywhere.count / 2]
        files[weeks / 2].tags.removeAll { $0.name == gapTag }
        return (files, gapTag)
    }

    /// Addresses inside random prefixes of random files (host bits random), some random addresses
    /// anywhere, IPv4-mapped forms of a few, and a few whole prefixes.
    public static func queries(_ files: [ServiceTagsFile], count: Int, seed: UInt64) -> [IPPrefix] {
        var rng = SplitMix64(seed: seed)
        var out: [IPPrefix] = []
        while out.count < count {
            let file = rng.element(of: files)
            let tag = rng.element(of: file.tags)
            switch rng.int(in: 0..<10) {
            case 0:
                out.append(AddressHistory.query(for: .v4(IPv4Address(bits: UInt32.random(in: 0...UInt32.max, using: &rng)))))
            case 1 where !tag.ipv4.isEmpty:
                // ::ffff:a.b.c.d, which the history answers as a.b.c.d.
                let a = inside(rng.element(of: tag.ipv4), &rng)
                out.append(AddressHistory.query(for: .v6(IPv6Address(bits: 0xFFFF_0000_0000 | UInt128(a.bits)))))
            case 2 where !tag.ipv4.isEmpty:
                out.append(.v4(rng.element(of: tag.ipv4)))
            case 3...6 where !tag.ipv4.isEmpty:
                out.append(AddressHistory.query(for: .v4(inside(rng.element(of: tag.ipv4), &rng))))
            case 7...9 where !tag.ipv6.isEmpty:
                out.append(AddressHistory.query(for: .v6(inside(rng.element(of: tag.ipv6), &rng))))
            default:
                continue
            }
        }
        return out
    }

    public static func inside<A>(_ p: Prefix<A>, _ rng: inout SplitMix64) -> A {
        A(bits: p.address.bits | (A.Bits.random(in: 0...A.Bits.max, using: &rng) & ~p.mask))
    }

    /// A builder's histories in the reference's form.
    public static func reference(_ h: AddressHistory) -> ReferenceHistory.History {
        Dictionary(uniqueKeysWithValues: h.tags.map { t in
            (t.name, t.intervals.map { ReferenceHistory.Run(first: $0.first, last: $0.last, prefix: $0.prefix) })
        })
    }
}

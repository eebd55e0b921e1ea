import Testing
import ExportTargetModels
import ServiceTagsTestSupport

/// `TagIndex.overlaps(with:)` (`stag lookup --overlap`) against a slow reference: per tag, its
/// prefixes merged by hand (sorted, nested ones dropped), then the sum over them of the
/// intersection size with the query (two prefixes share the smaller when nested, else nothing).
@Suite struct TagOverlapTests {
    static func size<A>(_ p: Prefix<A>) -> AddressCount {
        let hostBits = A.bitWidth - Int(p.length)
        return hostBits == 128 ? .ipv6Space : AddressCount(UInt128(1) << UInt128(hostBits))
    }

    static func shared<A>(_ prefixes: [Prefix<A>], _ q: Prefix<A>) -> AddressCount {
        var merged: [Prefix<A>] = []
        for p in prefixes.sorted() where !(merged.last?.contains(p) ?? false) { merged.append(p) }
        var total = AddressCount.zero
        for p in merged {
            if p.contains(q) { total += size(q) } else if q.contains(p) { total += size(p) }
        }
        return total
    }

    /// Per tag with a nonzero overlap: (name, overlap), most first, ties by name.
    static func reference(_ tags: [ServiceTag], _ query: IPPrefix) -> [(String, AddressCount)] {
        let rows = tags.compactMap { tag -> (String, AddressCount)? in
            let n: AddressCount
            switch query {
            case .v4(let q): n = shared(tag.ipv4, q)
            case .v6(let q): n = shared(tag.ipv6, q)
            }
            return n == .zero ? nil : (tag.name, n)
        }
        return rows.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
    }

    /// Queries around the tags' prefixes: each a random prefix shortened by 0-12 bits or
    /// lengthened by 0-4 bits, plus a few anywhere.
    static func queries(_ tags: [ServiceTag], _ rng: inout SplitMix64, count: Int) -> [IPPrefix] {
        let withPrefixes = tags.filter { $0.prefixCount > 0 }
        return (0 ..< count).map { i in
            let tag = rng.element(of: withPrefixes)
            if !tag.ipv4.isEmpty && (tag.ipv6.isEmpty || rng.chance(0.6)) {
                let p = i % 10 == 0 ? IPv4Prefix.randomAnywhere(using: &rng) : rng.element(of: tag.ipv4)
                let length = min(32, max(0, Int(p.length) + rng.int(in: -12 ... 4)))
                return .v4(IPv4Prefix(masking: IPv4Address(bits: p.address.bits | UInt32(truncatingIfNeeded: rng.next()) & ~p.mask), length: length))
            }
            let p = i % 10 == 0 ? IPv6Prefix.randomAnywhere(using: &rng) : rng.element(of: tag.ipv6)
            let host = UInt128(rng.next()) << 64 | UInt128(rng.next())
            let length = min(128, max(0, Int(p.length) + rng.int(in: -12 ... 4)))
            return .v6(IPv6Prefix(masking: IPv6Address(bits: p.address.bits | host & ~p.mask), length: length))
        }
    }

    static func check(_ tags: [ServiceTag], _ queries: [IPPrefix], sourceLocation: SourceLocation = #_sourceLocation) {
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        let overlapIndex = OverlapIndex(tags)
        for q in queries {
            let want = reference(tags, q)
            for answer in [index.overlaps(with: q), overlapIndex.overlaps(with: q)] {
                let got = answer.map { (tags[Int($0.tag)].name, $0.addresses) }
                #expect(got.map(\.0) == want.map(\.0) && got.map(\.1) == want.map(\.1), "\(q)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: 1 ... 6 as ClosedRange<UInt64>)
    func syntheticFilesAgreeWithTheSlowReference(seed: UInt64) {
        let file = SyntheticServiceTags(.init(tags: 80, prefixes: 1_000, seed: seed)).file
        var rng = SplitMix64(seed: seed)
        Self.check(file.tags, Self.queries(file.tags, &rng, count: 60))
    }

    @Test func anIPv4MappedPrefixIsAskedAsIPv4() throws {
        let tags = [ServiceTag(name: "A", ipv4: [Self.v4("20.62.0.0/17"), Self.v4("20.63.0.0/24")])]
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        #expect(index.overlaps(with: IPPrefix("::ffff:20.62.0.0/111")!).map { $0.addresses } == [AddressCount(32_768 + 256)])
        #expect(index.overlaps(with: IPPrefix("20.62.0.0/15")!).map { $0.addresses } == [AddressCount(32_768 + 256)])
        #expect(index.overlaps(with: IPPrefix("20.62.1.0/24")!).map { $0.addresses } == [AddressCount(256)])
        #expect(index.overlaps(with: IPPrefix("21.0.0.0/8")!).isEmpty)
        // Nested and repeated prefixes of one tag count once.
        let nested = [ServiceTag(name: "B", ipv4: ["10.0.0.0/16", "10.0.5.0/24", "10.0.5.0/24", "10.1.0.0/24"].map(Self.v4))]
        let nestedIndex = TagIndexBuilder(ServiceTagsFile(tags: nested)).finish()
        for q in ["10.0.0.0/15", "10.0.5.0/24", "10.0.0.0/8", "10.1.0.0/16"] {
            let want = Self.reference(nested, IPPrefix(q)!).map(\.1)
            #expect(nestedIndex.overlaps(with: IPPrefix(q)!).map { $0.addresses } == want, "\(q)")
            #expect(OverlapIndex(nested).overlaps(with: IPPrefix(q)!).map { $0.addresses } == want, "\(q)")
        }
        #expect(OverlapIndex(nested).overlaps(with: IPPrefix("10.0.0.0/15")!).map { $0.addresses } == [AddressCount(65_536 + 256)])
        let overlapIndex = OverlapIndex(tags)
        for q in ["::ffff:20.62.0.0/111", "20.62.0.0/15", "20.62.1.0/24", "21.0.0.0/8", "0.0.0.0/0", "20.63.0.7/32"] {
            #expect(overlapIndex.overlaps(with: IPPrefix(q)!) == index.overlaps(with: IPPrefix(q)!), "\(q)")
        }
    }

    static func v4(_ text: String) -> IPv4Prefix {
        guard case .v4(let p) = IPPrefix(text)! else { fatalError("not IPv4: \(text)") }
        return p
    }

    static let realName = "ServiceTags_Public_20251028.json"

    @Test(.realData(realName), .tags(.realData))
    func theRealFileAgreesWithTheSlowReference() throws {
        let tags = try ServiceTagsFile(readingFileAt: FixturePaths.realFile(Self.realName)!).tags
        var rng = SplitMix64(seed: 0x0e1a)
        Self.check(tags, [IPPrefix("20.62.0.0/15")!] + Self.queries(tags, &rng, count: 25))
    }
}

import Testing
import ServiceTagsTestSupport

@Suite struct TagIndexTests {
    static func answers(_ index: TagIndex, _ address: IPAddress) -> [ReferenceTagTable.Answer] {
        index.matches(for: address).map { .init(tag: Int($0.tag), prefix: $0.prefix) }.sorted { $0.tag < $1.tag }
    }

    @Test(arguments: [21, 22, 23, 24, 25, 26])
    func everyTagAndMostSpecificPrefixAgreeWithLinearScan(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 12, prefixesPerTag: 0...60)
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        for address in IndexRandomData.probes(tags, &rng, random: 200) {
            #expect(Self.answers(index, address) == ReferenceTagTable.linear(tags, address), "\(address)")
        }
    }

    @Test(arguments: [31, 32])
    func answersAreMostSpecificFirstAndOnePerTag(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 8, prefixesPerTag: 10...40)
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        for address in IndexRandomData.probes(tags, &rng, random: 100) {
            let m = index.matches(for: address)
            #expect(Set(m.map(\.tag)).count == m.count)
            #expect(zip(m, m.dropFirst()).allSatisfy { $0.prefix.length >= $1.prefix.length })
        }
    }

    @Test(arguments: [41, 42, 43])
    func prefixQueriesAgreeWithLinearScan(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 10, prefixesPerTag: 5...50)
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        var queries: [IPPrefix] = tags.flatMap { $0.ipv4.map(IPPrefix.v4) + $0.ipv6.map(IPPrefix.v6) }
        for _ in 0..<1000 { queries += [.v4(IndexRandomData.prefix4(&rng)), .v6(IndexRandomData.prefix6(&rng))] }
        for q in queries {
            let got = index.matches(for: q).map { ReferenceTagTable.Answer(tag: Int($0.tag), prefix: $0.prefix) }.sorted { $0.tag < $1.tag }
            #expect(got == ReferenceTagTable.linear(tags, containing: q), "\(q)")
        }
    }

    @Test func ipv4MappedAddressesAreLookedUpAsIPv4() throws {
        let p = try #require(IPv4Prefix(address: IPv4Address(20, 62, 128, 0), length: 17))
        let index = TagIndexBuilder(ServiceTagsFile(tags: [ServiceTag(name: "AzureCloud", ipv4: [p])])).finish()
        let mapped = try IPAddress(parsing: "::ffff:20.62.130.5")
        #expect(index.matches(for: mapped).map(\.prefix) == [.v4(p)])
        #expect(index.matches(for: try IPAddress(parsing: "::20.62.130.5")).isEmpty)
        #expect(index.matches(for: try IPPrefix(parsing: "::ffff:20.62.130.0/120")).map(\.prefix) == [.v4(p)])
    }

    @Test func slashZeroAndHostRoutesCoexist() throws {
        let tags = [
            ServiceTag(name: "Everything", ipv4: [IPv4Prefix(masking: IPv4Address(bits: 0), length: 0)],
                       ipv6: [IPv6Prefix(masking: IPv6Address(bits: 0), length: 0)]),
            ServiceTag(name: "Host", ipv4: [IPv4Prefix(masking: IPv4Address(bits: .max), length: 32)],
                       ipv6: [IPv6Prefix(masking: IPv6Address(bits: 1), length: 128)]),
        ]
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        #expect(index.matches(for: .v4(IPv4Address(bits: .max))).map(\.tag) == [1, 0])
        #expect(index.matches(for: .v4(IPv4Address(bits: .max - 1))).map(\.tag) == [0])
        #expect(index.matches(for: .v6(IPv6Address(bits: 1))).map(\.tag) == [1, 0])
        #expect(index.matches(for: .v6(IPv6Address(bits: 2))).map(\.tag) == [0])
    }
}

@Suite struct TagIndexPerTagTrieTests {
    @Test(arguments: [51, 52, 53])
    func everyTagsOwnTrieAgreesWithLinearScanOfThatTag(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 10, prefixesPerTag: 0...50)
        let index = TagIndexBuilder(ServiceTagsFile(tags: tags)).finish()
        let probes = IndexRandomData.probes(tags, &rng, random: 100)
        for (t, tag) in tags.enumerated() {
            #expect(Array(index.ipv4Tries[t].prefixes) == Array(Set(tag.ipv4)).sorted())
            #expect(Array(index.ipv6Tries[t].prefixes) == Array(Set(tag.ipv6)).sorted())
            for address in probes {
                let want = ReferenceTagTable.linear([tag], address).first?.prefix
                switch address {
                case .v4(let a): #expect(index.ipv4Tries[t].mostSpecific(containing: a).map(IPPrefix.v4) == want)
                case .v6(let a): #expect(index.ipv6Tries[t].mostSpecific(containing: a).map(IPPrefix.v6) == want)
                }
            }
        }
    }
}

@Suite struct ScanLookupTests {
    static func normalized(_ m: [TagIndex.Match]) -> [TagIndex.Match] { m.sorted { $0.tag < $1.tag } }

    /// Ten seeded tags of up to 40 prefixes each, their file and its built index.
    static func randomIndex(_ rng: inout SplitMix64) -> ([ServiceTag], ServiceTagsFile, TagIndex) {
        let tags = IndexRandomData.tags(&rng, count: 10, prefixesPerTag: 0...40)
        let file = ServiceTagsFile(tags: tags)
        return (tags, file, TagIndexBuilder(file).finish())
    }

    @Test(arguments: [61, 62, 63])
    func scanGivesTheIndexAnswersForAddressesAndPrefixes(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let (tags, file, index) = Self.randomIndex(&rng)
        for address in IndexRandomData.probes(tags, &rng, random: 100) {
            let scanned = file.scanMatches(for: address)
            #expect(Self.normalized(scanned) == Self.normalized(index.matches(for: address)), "\(address)")
            #expect(zip(scanned, scanned.dropFirst()).allSatisfy { $0.prefix.length >= $1.prefix.length })
        }
        for _ in 0..<300 {
            for q in [IPPrefix.v4(IndexRandomData.prefix4(&rng)), .v6(IndexRandomData.prefix6(&rng))] {
                #expect(Self.normalized(file.scanMatches(for: q)) == Self.normalized(index.matches(for: q)), "\(q)")
            }
        }
    }

    @Test func mappedAddressesAndPrefixesAreScannedAsIPv4() throws {
        let p = try #require(IPv4Prefix(address: IPv4Address(20, 62, 128, 0), length: 17))
        let file = ServiceTagsFile(tags: [ServiceTag(name: "AzureCloud", ipv4: [p])])
        #expect(file.scanMatches(for: try IPAddress(parsing: "::ffff:20.62.130.5")).map(\.prefix) == [.v4(p)])
        #expect(file.scanMatches(for: try IPPrefix(parsing: "::ffff:20.62.130.0/120")).map(\.prefix) == [.v4(p)])
        #expect(file.scanMatches(for: try IPAddress(parsing: "::20.62.130.5")).isEmpty)
    }
}

/// `TagIndex.answerKey(for:)` against the linear scan: queries (addresses, prefixes, IPv4-mapped
/// IPv6) with equal keys have equal scanned answers, a nil key exactly when nothing contains the
/// query, and distinct keys name distinct nodes (so a renderer may cache one answer per key).
@Suite struct AnswerKeyTests {
    @Test(arguments: [71, 72, 73])
    func equalKeysHaveEqualScannedAnswers(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let (tags, file, index) = ScanLookupTests.randomIndex(&rng)
        var queries = IndexRandomData.probes(tags, &rng, random: 100).map { IPPrefix(address: $0) }
        for _ in 0 ..< 200 { queries += [.v4(IndexRandomData.prefix4(&rng)), .v6(IndexRandomData.prefix6(&rng))] }
        queries += queries.compactMap { q -> IPPrefix? in
            guard case .v4(let p) = q else { return nil }
            return .v6(IPv6Prefix(masking: IPv6Address(bits: 0xFFFF << 32 | UInt128(p.address.bits)), length: Int(p.length) + 96))
        }
        var answerOfKey: [Int: [TagIndex.Match]] = [:]
        for q in queries {
            let scanned = ScanLookupTests.normalized(file.scanMatches(for: q))
            guard let key = index.answerKey(for: q) else {
                #expect(scanned.isEmpty, "\(q) has no key but answers")
                continue
            }
            #expect(key >= 0 && key < index.ipv4.prefixes.count + index.ipv6.prefixes.count)
            if let known = answerOfKey[key] { #expect(known == scanned, "\(q)") } else { answerOfKey[key] = scanned }
        }
        #expect(answerOfKey.count > 10)
    }
}

@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// A compiled index loads back to exactly the model it was written from, and its lookups agree
/// with a linear scan of the model (`ReferenceTagTable.linear`) and with a freshly built index.
@Suite struct CompiledIndexRoundTripTests {
    typealias S = CompiledIndexTestSupport

    static func checkRoundTrip(_ file: ServiceTagsFile, probes: [IPAddress]) throws {
        let bytes = try S.compile(file)
        let loaded = try S.load(bytes).get()
        #expect(loaded.file.cloud == file.cloud)
        #expect(loaded.file.changeNumber == file.changeNumber)
        #expect(loaded.file.tags == file.tags)
        #expect(loaded.index.tags == file.tags)
        // `String ==` is canonical equivalence: the bytes themselves must come back.
        #expect(loaded.file.tags.map(Self.bytes) == file.tags.map(Self.bytes))
        #expect(loaded.index.tagMetadata.map(Self.bytes) == file.tags.map(Self.bytes))
        #expect(Array(loaded.file.cloud.utf8) == Array(file.cloud.utf8))
        #expect(loaded.source == CompiledIndex.Source(sha256: S.sha, size: 4_108_133))
        #expect(loaded.byteCount == bytes.count)
        let built = TagIndexBuilder(file).finish()
        // At most ~1,500 probes (evenly spread): the linear reference is slow in debug builds.
        let step = max(1, probes.count / 1_500)
        for address in stride(from: 0, to: probes.count, by: step).map({ probes[$0] }) {
            let got = S.answers(loaded.index, address)
            #expect(got == S.answers(built, address), "\(address)")
            #expect(got.sorted { $0.tag < $1.tag } == ReferenceTagTable.linear(file.tags, address), "\(address)")
        }
        // Writing the loaded model again gives the same bytes: nothing was lost or reordered.
        #expect(try CompiledIndex.write(file: loaded.file, index: loaded.index, sourceSHA256: S.sha, sourceSize: 4_108_133) == bytes)
    }

    /// Every string field of a tag as its UTF-8 bytes.
    static func bytes(_ t: ServiceTag) -> [[UInt8]] {
        [t.name, t.id, t.region, t.platform, t.systemService].map { Array($0.utf8) } + (t.networkFeatures ?? ["(nil)"]).map { Array($0.utf8) }
    }

    /// Strings Swift calls equal but whose bytes differ ("é" precomposed and decomposed, Hangul
    /// jamo and syllable) each keep their own bytes: the pool once handed the second the first's
    /// offset with its own length, and the index would not load.
    @Test func canonicallyEquivalentStringsKeepTheirBytes() throws {
        let forms = [("\u{E9}", "e\u{301}"), ("\u{D55C}", "\u{1112}\u{1161}\u{11AB}"), ("\u{212B}", "\u{C5}")]
        var tags: [ServiceTag] = []
        for (i, (a, b)) in forms.enumerated() {
            #expect(a == b && Array(a.utf8) != Array(b.utf8))
            let p = IPv4Prefix(masking: IPv4Address(bits: UInt32(10 << 24 | i << 16)), length: 16)
            tags.append(ServiceTag(name: "A\(i)", id: "A\(i)", region: a, systemService: b, networkFeatures: [a, b], ipv4: [p]))
            tags.append(ServiceTag(name: "B\(i)", id: "B\(i)", region: b, systemService: a, networkFeatures: [b, a, b], ipv4: [p]))
        }
        let file = ServiceTagsFile(changeNumber: 1, cloud: "\u{E9}", tags: tags)
        var rng = SplitMix64(seed: 3)
        try Self.checkRoundTrip(file, probes: IndexRandomData.probes(file.tags, &rng, random: 20))
    }

    @Test func sampleFixture() throws {
        let file = try ServiceTagsFile(readingFileAt: FixturePaths.sample)
        var rng = SplitMix64(seed: 91)
        try Self.checkRoundTrip(file, probes: IndexRandomData.probes(file.tags, &rng, random: 300))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func syntheticFiles(seed: UInt64) throws {
        let file = SyntheticServiceTags(.init(tags: 80, prefixes: 3_000, seed: seed)).file
        var rng = SplitMix64(seed: seed)
        try Self.checkRoundTrip(file, probes: IndexRandomData.probes(file.tags, &rng, random: 500))
    }

    @Test(arguments: [21, 22] as [UInt64])
    func randomNestedTags(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let tags = IndexRandomData.tags(&rng, count: 12, prefixesPerTag: 0...60)
        try Self.checkRoundTrip(ServiceTagsFile(changeNumber: 7, cloud: "AzureGovernment", tags: tags),
                                probes: IndexRandomData.probes(tags, &rng, random: 200))
    }

    @Test func optionalFieldsNilAndEmptyStayDistinct() throws {
        let file = S.edgeCaseFile()
        var rng = SplitMix64(seed: 5)
        try Self.checkRoundTrip(file, probes: IndexRandomData.probes(file.tags, &rng, random: 50))
        let loaded = try S.load(S.compile(file)).get()
        #expect(loaded.file.tags[1].networkFeatures == [])
        #expect(loaded.file.tags[2].networkFeatures == nil)
        #expect(loaded.file.changeNumber == nil)
        #expect(loaded.file.tags[1].regionId == nil)
        #expect(loaded.index.tagID(named: "Ünïcødé.日本") == 1)
    }

    @Test func emptyFile() throws {
        try Self.checkRoundTrip(ServiceTagsFile(), probes: [.v4(IPv4Address(bits: 1))])
    }

    @Test func prefixQueriesThroughTheLoadedIndex() throws {
        var rng = SplitMix64(seed: 43)
        let tags = IndexRandomData.tags(&rng, count: 10, prefixesPerTag: 5...50)
        let loaded = try S.load(S.compile(ServiceTagsFile(tags: tags))).get()
        var queries: [IPPrefix] = tags.flatMap { $0.ipv4.map(IPPrefix.v4) + $0.ipv6.map(IPPrefix.v6) }
        for _ in 0 ..< 300 { queries += [.v4(IndexRandomData.prefix4(&rng)), .v6(IndexRandomData.prefix6(&rng))] }
        for q in queries {
            let got = loaded.index.matches(for: q).map { ReferenceTagTable.Answer(tag: Int($0.tag), prefix: $0.prefix) }.sorted { $0.tag < $1.tag }
            #expect(got == ReferenceTagTable.linear(tags, containing: q), "\(q)")
        }
    }

    @Test func aStringOverTheCapIsRefusedAtWriting() throws {
        let file = ServiceTagsFile(tags: [ServiceTag(name: String(repeating: "x", count: CompiledIndexLayout.maxStringBytes + 1))])
        #expect(throws: CompiledIndexError.self) { try S.compile(file) }
    }

    @Test func lazyTriesOfALoadedIndexMatchTheBuiltOnes() throws {
        let file = try ServiceTagsFile(readingFileAt: FixturePaths.sample)
        let loaded = try S.load(S.compile(file)).get().index
        for (t, tag) in file.tags.enumerated() {
            #expect(Array(loaded.ipv4Tries[t].prefixes) == Array(Set(tag.ipv4)).sorted())
            #expect(Array(loaded.ipv6Tries[t].prefixes) == Array(Set(tag.ipv6)).sorted())
        }
    }
}

import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The seeded RNG and the synthetic-file generator: determinism, size, and the real files' shape.
@Suite struct SyntheticServiceTagsTests {
    /// Published SplitMix64 test vectors (Vigna's reference implementation).
    @Test func splitMix64MatchesPublishedVectors() {
        var zero = SplitMix64(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SplitMix64(seed: 1_234_567)
        #expect([other.next(), other.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973])
    }

    @Test func splitMix64HelpersStayInRange() {
        var rng = SplitMix64(seed: 9)
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            let x = rng.int(in: -3...3)
            #expect((-3...3).contains(x))
            seen.insert(x)
        }
        #expect(seen.count == 7)
        #expect(!rng.chance(0) && rng.chance(1))
        var a = Array(0..<50)
        rng.shuffle(&a)
        #expect(a.sorted() == Array(0..<50) && a != Array(0..<50))
        #expect(rng.int(in: Int.min...Int.max) != rng.int(in: Int.min...Int.max))   // full range does not trap
        #expect((0..<100).allSatisfy { _ in rng.weightedIndex([0, 5, 0]) == 1 })
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() {
        let a = SyntheticServiceTags.jsonBytes(tags: 120, prefixes: 1_500, seed: 42)
        let b = SyntheticServiceTags.jsonBytes(tags: 120, prefixes: 1_500, seed: 42)
        let c = SyntheticServiceTags.jsonBytes(tags: 120, prefixes: 1_500, seed: 43)
        #expect(a == b)
        #expect(a != c)
    }

    @Test(arguments: [(0, 0), (1, 10), (2, 5), (3, 3), (7, 30), (40, 400), (300, 6_000), (1_000, 20_000)])
    func tagCountIsExactAndPrefixCountNearTarget(_ tags: Int, _ prefixes: Int) {
        let file = SyntheticServiceTags.file(tags: tags, prefixes: prefixes, seed: 7)
        #expect(file.tags.count == tags)
        #expect(Set(file.tags.map(\.name)).count == tags, "names are unique")
        #expect(SyntheticServiceTags.Shape(tags: tags).tagCount == tags)
        let total = file.tags.reduce(0) { $0 + $1.prefixCount }
        if prefixes >= 400 {
            #expect(abs(total - prefixes) * 100 <= prefixes * 15, "\(total) prefixes for a target of \(prefixes)")
        }
        #expect(file.tags.allSatisfy { $0.prefixCount > 0 })
    }

    static let medium = SyntheticServiceTags(.init(tags: 250, prefixes: 5_000, seed: 3)).file

    @Test(arguments: [medium, SyntheticServiceTags(.sample).file])
    func tagsHaveTheRealFilesMetadata(_ file: ServiceTagsFile) {
        #expect(file.cloud == "Public" && file.changeNumber == 375)
        let allowedFeatures: Set<String> = ["API", "NSG", "UDR", "FW"]
        for tag in file.tags {
            #expect(tag.id == tag.name && tag.platform == "Azure")
            #expect((tag.regionId == 0) == tag.region.isEmpty, "\(tag.name)")
            #expect(tag.changeNumber.map { $0 >= 1 } == true)
            #expect(Set(tag.networkFeatures ?? []).isSubset(of: allowedFeatures))
            if !tag.region.isEmpty {
                let dot = tag.name.firstIndex(of: ".")
                #expect(dot != nil, "regional tag \(tag.name) is Service.Region")
                if tag.name.hasPrefix("AzureCloud.") { #expect(tag.name == "AzureCloud." + tag.region) }
            }
        }
        #expect(file.tags.last?.name == "AzureCloud")
        #expect(file.tags.contains { $0.name == "AzureCloud.westeurope" })
        #expect(file.tags.contains { $0.name == "Storage.WestEurope" && $0.region == "westeurope" && $0.systemService == "AzureStorage" })
        #expect(file.tags.contains { $0.networkFeatures == nil } && file.tags.contains { $0.networkFeatures != nil })
        #expect(file.tags.contains { $0.region.isEmpty && !$0.systemService.isEmpty && $0.name != "AzureCloud" })
    }

    /// Sorted by address then length, no duplicates, no prefix inside another of the same tag
    /// (pairwise check, the obvious O(n^2) reference).
    @Test func eachTagIsSortedWithoutOverlaps() {
        for tag in Self.medium.tags {
            #expect(zip(tag.ipv4, tag.ipv4.dropFirst()).allSatisfy { $0.address < $1.address }, "\(tag.name)")
            #expect(zip(tag.ipv6, tag.ipv6.dropFirst()).allSatisfy { $0.address < $1.address }, "\(tag.name)")
            for (i, p) in tag.ipv4.enumerated() { for q in tag.ipv4[(i + 1)...] { #expect(!p.overlaps(q), "\(tag.name): \(p) \(q)") } }
            for (i, p) in tag.ipv6.enumerated() { for q in tag.ipv6[(i + 1)...] { #expect(!p.overlaps(q), "\(tag.name): \(p) \(q)") } }
        }
    }

    @Test func prefixLengthsCoverTheRealRanges() {
        let v4 = Self.medium.tags.flatMap(\.ipv4).map { Int($0.length) }
        let v6 = Self.medium.tags.flatMap(\.ipv6).map { Int($0.length) }
        #expect(v4.allSatisfy { (14...32).contains($0) } && v6.allSatisfy { (40...128).contains($0) })
        #expect(v4.filter { $0 >= 30 }.count * 4 >= v4.count, "many /30-/32")
        #expect(Set(v4).isSuperset(of: [16, 24, 28, 32]) && Set(v6).isSuperset(of: [48, 64, 124, 128]))
        let share6 = Double(v6.count) / Double(v4.count + v6.count)
        #expect(share6 > 0.15 && share6 < 0.45, "IPv6 share \(share6)")
    }

    /// `Storage` lists every prefix of every `Storage.*`; `AzureCloud` every prefix of every
    /// `AzureCloud.*`; every regional service prefix lies inside its region's `AzureCloud.<region>`.
    @Test func unionTagsAreSupersetsAndRegionsContainTheirServices() {
        let byName = Dictionary(uniqueKeysWithValues: Self.medium.tags.map { ($0.name, $0) })
        var checkedRegional = 0
        for tag in Self.medium.tags where !tag.region.isEmpty {
            let service = String(tag.name[..<tag.name.firstIndex(of: ".")!])
            let union = byName[service]!
            #expect(Set(union.ipv4).isSuperset(of: tag.ipv4) && Set(union.ipv6).isSuperset(of: tag.ipv6), "\(service) ⊇ \(tag.name)")
            let region = byName["AzureCloud." + tag.region]!
            for p in tag.ipv4 { #expect(region.ipv4.contains { $0.contains(p) }, "\(p) of \(tag.name) in its region") }
            for p in tag.ipv6 { #expect(region.ipv6.contains { $0.contains(p) }, "\(p) of \(tag.name) in its region") }
            checkedRegional += 1
        }
        #expect(checkedRegional > 150)
        let azureCloud = byName["AzureCloud"]!
        #expect(azureCloud.prefixCount > Self.medium.tags.filter { $0.name.hasPrefix("AzureCloud.") }.reduce(0) { $0 + $1.prefixCount },
                "AzureCloud has extra blocks of its own")
    }

    @Test func somePrefixesNestInsideAnotherServicesPrefix() {
        let regional = Self.medium.tags.filter { !$0.region.isEmpty && !$0.name.hasPrefix("AzureCloud") }
        var nested = 0
        for a in regional {
            for b in regional where b.region == a.region && b.name != a.name {
                nested += a.ipv4.filter { p in b.ipv4.contains { $0 != p && $0.contains(p) } }.count
            }
        }
        #expect(nested > 5)
    }

    /// Some global-only tags have prefixes outside every region block (like AzureFrontDoor.Frontend).
    @Test func someGlobalPrefixesLieOutsideAzureCloudRegions() {
        let regions = Self.medium.tags.filter { $0.name.hasPrefix("AzureCloud.") }.flatMap(\.ipv4)
        let globals = Self.medium.tags.filter { $0.region.isEmpty && $0.name != "AzureCloud" }.flatMap(\.ipv4)
        #expect(globals.contains { g in !regions.contains { $0.overlaps(g) } })
    }
}

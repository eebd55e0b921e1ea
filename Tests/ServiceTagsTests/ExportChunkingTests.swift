@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Content-defined chunks: they tile the list within the limit, a one-prefix change touches at
/// most two of them (almost always), and they need at most 1.5 times the minimum number of
/// objects, none but the last under a quarter of the limit.
@Suite struct ExportChunkingTests {
    @Test func chunksTileTheListWithinTheLimit() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<300 {
            let n = Int.random(in: 0...3_000, using: &rng)
            let limit = [1, 2, 3, 10, 100, 1_000][Int.random(in: 0..<6, using: &rng)]
            // Some runs of hashes that are never anchors, to force the finer levels.
            let hashes: [UInt64] = (0..<n).map { _ in Int.random(in: 0..<5, using: &rng) == 0 ? UInt64.max : rng.next() }
            let chunks = ExportChunking.chunks(hashes: hashes, limit: limit)
            #expect(chunks.first?.start == 0 && chunks.last?.end == n)
            #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.end == $1.start })
            #expect(chunks.allSatisfy { $0.end - $0.start <= limit && ($0.end > $0.start || n == 0) })
            #expect(Set(chunks.map(\.label)).count == chunks.count)
            if n <= limit { #expect(chunks.count == 1 && chunks[0].label == ExportChunking.headLabel) }
        }
    }

    @Test func runsWithoutAnyAnchorStillFit() {
        let chunks = ExportChunking.chunks(hashes: [UInt64](repeating: .max, count: 10), limit: 3)
        #expect(chunks.map { $0.end - $0.start }.allSatisfy { $0 >= 1 && $0 <= 3 })
        #expect(chunks.reduce(0) { $0 + $1.end - $1.start } == 10)
    }

    @Test func hashesAreFixedAcrossRunsAndPlatforms() {
        // Pinned values: a change here renames every chunk users already deployed.
        #expect(ExportChunking.mix(0) == 0xE220_A839_7B1D_CDAF)
        #expect(ExportChunking.hash(SetTesting.v4("20.33.0.0/16")) == ExportChunking.hash(SetTesting.v4("20.33.0.0/16")))
        #expect(ExportChunking.hash(SetTesting.v4("20.33.0.0/16")) != ExportChunking.hash(SetTesting.v4("20.33.0.0/17")))
    }

    /// Sorted random IPv4 prefixes of one tag (distinct).
    static func randomList(_ n: Int, _ rng: inout SplitMix64) -> [IPv4Prefix] {
        var set = Set<IPv4Prefix>()
        while set.count < n { set.insert(Prefix(masking: IPv4Address(bits: UInt32.random(in: 0...UInt32.max, using: &rng)), length: Int.random(in: 20...32, using: &rng))) }
        return set.sorted()
    }

    /// The first elements of the chunks after the first (the cuts), as hashes.
    static func cutElements(_ list: [IPv4Prefix], limit: Int) -> Set<UInt64> {
        let hashes = list.map(ExportChunking.hash)
        return Set(ExportChunking.chunks(hashes: hashes, limit: limit).dropFirst().map { hashes[$0.start] })
    }

    @Test func oneChangedPrefixTouchesAtMostTwoChunks() throws {
        var rng = SplitMix64(seed: 22)
        let limit = 200, format = AWSPrefixListFormat(), options = ExportOptions(maxEntries: limit)
        var trials = 0, withinTwo = 0, worst = 0, fixedCountOverTwo = 0
        for _ in 0..<150 {
            let old = Self.randomList(Int.random(in: 1_500...2_500, using: &rng), &rng)
            var new = old
            var changed: IPv4Prefix
            if Bool.random(using: &rng) {
                changed = new.remove(at: Int.random(in: 0..<new.count, using: &rng))
            } else {
                repeat { changed = Prefix(masking: IPv4Address(bits: UInt32.random(in: 0...UInt32.max, using: &rng)), length: 32) } while old.contains(changed)
                new.append(changed)
                new.sort()
            }
            let delta = try Exporter.deltaPlan(from: ExportList(tags: ["T"], v4: old, v6: []), to: ExportList(tags: ["T"], v4: new, v6: []),
                                               for: format, options: options)
            let touched = delta.changes.count
            trials += 1
            worst = max(worst, touched)
            if touched <= 2 { withinTwo += 1 }
            // A change that moves no cut rewrites exactly the chunk it lands in.
            if Self.cutElements(old, limit: limit) == Self.cutElements(new, limit: limit) {
                #expect(touched == 1, "a change that moved no cut touched \(touched) chunks")
            }
            #expect(touched >= 1)
            // The same change with chunks cut every `limit` entries, for contrast.
            let k = (old.firstIndex(where: { $0 >= changed }) ?? old.count) / limit
            let fixedTouched = stride(from: 0, to: max(old.count, new.count), by: limit).filter { start in
                start / limit >= k && Array(old[min(start, old.count)..<min(start + limit, old.count)]) != Array(new[min(start, new.count)..<min(start + limit, new.count)])
            }.count
            if fixedTouched > 2 { fixedCountOverTwo += 1 }
        }
        print("ExportChunkingTests: \(withinTwo)/\(trials) single changes touched at most two chunks (worst \(worst)); fixed-count chunks: \(fixedCountOverTwo) over two")
        #expect(Double(withinTwo) >= 0.97 * Double(trials))
        #expect(worst <= 8)
        #expect(fixedCountOverTwo >= trials / 2, "the check should tell content-defined from fixed-count chunks")
    }

    @Test func chunkNamesCarryTheLabelAndSplitOnlyPastTheLimit() throws {
        var rng = SplitMix64(seed: 23)
        let list = ExportList(tags: ["T"], v4: Self.randomList(2_500, &rng), v6: [])
        let plan = try Exporter.plan(list, for: AWSPrefixListFormat(), options: ExportOptions())
        #expect(plan.objects.count > 2)
        #expect(plan.objects.allSatisfy { $0.count <= 1_000 && $0.name.utf8.count == "T_v4_0000".utf8.count && $0.name.hasPrefix("T_v4_") })
        #expect(plan.objects.first?.name == "T_v4_0000")
        let small = try Exporter.plan(ExportList(tags: ["T"], v4: Array(list.v4.prefix(1_000)), v6: []), for: AWSPrefixListFormat(), options: ExportOptions())
        #expect(small.objects.map(\.name) == ["T_v4"])
    }

    /// The fill bounds on seeded random data, including hash patterns that defeat the cuts
    /// (constant, rising, falling): at most 1.5 x ceil(n / limit) chunks, every chunk within the
    /// limit, and none but the last under a quarter of it.
    @Test func chunksStayNearTheMinimumCount() {
        var rng = SplitMix64(seed: 0xF111)
        var total = 0, minimumTotal = 0
        for trial in 0..<600 {
            let limit = [1, 2, 3, 4, 7, 10, 100, 256, 1_000][Int.random(in: 0..<9, using: &rng)]
            let n = Int.random(in: 0...(limit * 20), using: &rng)
            let hashes: [UInt64] = switch trial % 6 {
            case 0: [UInt64](repeating: 7, count: n)
            case 1: (0..<n).map(UInt64.init)
            case 2: (0..<n).map { UInt64.max - UInt64($0) }
            default: (0..<n).map { _ in rng.next() }
            }
            let chunks = ExportChunking.chunks(hashes: hashes, limit: limit)
            let minimum = max(1, (n + limit - 1) / limit)
            #expect(chunks.count * 2 <= minimum * 3, "n \(n), limit \(limit): \(chunks.count) chunks, minimum \(minimum)")
            #expect(chunks.allSatisfy { $0.end - $0.start <= limit })
            #expect(chunks.dropLast().allSatisfy { ($0.end - $0.start) * 4 >= limit }, "n \(n), limit \(limit): a chunk under a quarter")
            if trial % 6 >= 3 && n > limit { total += chunks.count; minimumTotal += minimum }
        }
        print("ExportChunkingTests: random lists need \(total) chunks where the minimum is \(minimumTotal)")
        #expect(Double(total) <= 1.35 * Double(minimumTotal), "random data should average well under the 1.5 bound")
    }

    /// AzureCloud as PowerShell (1,000 addresses per rule): at most 1.5 x ceil(13,080 / 1,000) = 21
    /// rules, where anchors of mean spacing half the limit needed 47.
    @Test(.realData("ServiceTags_Public_20251028.json"), .tags(.realData))
    func azureCloudAsPowerShellNeedsFewRules() throws {
        guard let file = ExportFixtures.realFile("ServiceTags_Public_20251028.json", for: "ExportChunkingTests") else { return }
        let list = try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud")]))
        let plan = try Exporter.plan(list, for: PowerShellFormat(), options: ExportOptions())
        let minimum = (list.count + 999) / 1_000
        print("ExportChunkingTests: AzureCloud as powershell: \(list.count) entries, \(plan.objects.count) rules, minimum \(minimum)")
        #expect(plan.objects.count * 2 <= minimum * 3)
        #expect(plan.objects.allSatisfy { $0.count <= 1_000 })
        #expect(plan.objects.dropLast().allSatisfy { $0.count >= 250 })
    }
}

@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// A compiled history answers as the files it was compiled from: address intervals against
/// `ReferenceHistory` (linear scan per file), tag weeks against per-file `Set` differences.
@Suite struct CompiledHistoryTests {
    /// `ServiceTags_Public_<date>.json` names a week apart, from 2024-01-01.
    static func names(_ count: Int) -> [String] {
        (0 ..< count).map { w in
            let day = 1 + 7 * w, month = 1 + (day - 1) / 28, d = 1 + (day - 1) % 28
            return "ServiceTags_Public_2024" + (month < 10 ? "0" : "") + String(month) + (d < 10 ? "0" : "") + String(d) + ".json"
        }
    }

    static func compile(_ files: [ServiceTagsFile]) throws -> [UInt8] {
        var b = CompiledHistoryBuilder()
        for (f, name) in zip(files, names(files.count)) {
            try b.add(f, fileName: name, sha256: CompiledIndex.sha256Bytes(hex: SHA256.hex(name.utf8))!, size: 1000 + f.tags.count)
        }
        return try b.finish()
    }

    static func load(_ bytes: [UInt8]) throws -> CompiledHistory { try bytes.withUnsafeBytes { try CompiledHistory(bytes: $0) } }

    @Test(arguments: [UInt64(5), 6, 7])
    func addressIntervalsMatchTheLinearScan(seed: UInt64) throws {
        let (files, gapTag) = HistorySamples.archive(weeks: 6, seed: seed)
        let history = try Self.load(Self.compile(files))
        #expect(history.files.count == files.count && history.archive.entries.count == files.count)
        let queries = HistorySamples.queries(files, count: 200, seed: seed &+ 100)
        for patterns in [[], [TagPattern("AzureCloud.*"), TagPattern(gapTag)]] {
            let answers = files.map { ReferenceHistory.linearAnswers($0, queries, select: { patterns.isEmpty || patterns.anyMatches($0) }) }
            let want = ReferenceHistory.histories(answers, queries: queries.count)
            let got = history.addressHistories(queries, selecting: TagSelection(patterns)).map(HistorySamples.reference)
            for q in queries.indices where got[q] != want[q] {
                Issue.record("\(queries[q]): got \(got[q]), want \(want[q])")
                break
            }
        }
    }

    @Test func tagWeeksMatchSetDifferences() throws {
        let (files, gapTag) = HistorySamples.archive(weeks: 7, seed: 5)
        let history = try Self.load(Self.compile(files))
        let selection = TagSelection([TagPattern("AzureCloud"), TagPattern(gapTag), TagPattern("Storage*")])
        var json = TagHistoryBuilder(selection: selection)
        for f in files { json.add(f.tags) }
        let got = history.tagHistories(selecting: selection)
        #expect(got == json.finish())
        for h in got { #expect(h.weeks == ReferenceHistory.weeks(of: h.name, in: files), "\(h.name)") }
        #expect(history.tagNames == Set(files.flatMap { $0.tags.map(\.name) }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// Nested and repeated prefixes of one tag, a tag without prefixes, IPv4-mapped queries.
    @Test func nestedRepeatedAndEmpty() throws {
        func p4(_ a: UInt32, _ l: Int) -> IPv4Prefix { IPv4Prefix(address: IPv4Address(bits: a), length: l)! }
        let t = ServiceTag(name: "T", changeNumber: 3, ipv4: [p4(0x0A01_0000, 16), p4(0x0A00_0000, 8), p4(0x0A01_0000, 16), p4(0x0A01_0200, 25)])
        let files = [ServiceTagsFile(changeNumber: 1, cloud: "Public", tags: [t, ServiceTag(name: "Empty")]),
                     ServiceTagsFile(cloud: "Public", tags: [ServiceTag(name: "T", ipv4: [p4(0x0A00_0000, 8)])]),
                     ServiceTagsFile(changeNumber: 9, cloud: "Public", tags: [t])]
        let history = try Self.load(Self.compile(files))
        let queries: [IPPrefix] = [AddressHistory.query(for: .v4(IPv4Address(bits: 0x0A01_0203))), .v4(p4(0x0A01_0200, 24)),
                                   AddressHistory.query(for: .v6(IPv6Address(bits: 0xFFFF_0000_0000 | 0x0A01_0300))), .v4(p4(0, 0))]
        let want = ReferenceHistory.histories(files.map { ReferenceHistory.linearAnswers($0, queries) }, queries: queries.count)
        #expect(history.addressHistories(queries).map(HistorySamples.reference) == want)
        var json = TagHistoryBuilder(selection: TagSelection([TagPattern("*")]))
        for f in files { json.add(f.tags) }
        #expect(history.tagHistories(selecting: TagSelection([TagPattern("*")])) == json.finish())
        #expect(history.files.map(\.changeNumber) == [1, nil, 9])
    }

    @Test func builderRejectsWhatIsNotAnArchive() throws {
        let file = ServiceTagsFile(cloud: "Public", tags: [ServiceTag(name: "A")])
        let sha = [UInt8](repeating: 7, count: 32)
        func finish(_ names: [String], cloud: String = "Public") -> String {
            var b = CompiledHistoryBuilder()
            do {
                for n in names { try b.add(ServiceTagsFile(cloud: cloud, tags: file.tags), fileName: n, sha256: sha, size: 1) }
                _ = try b.finish()
                return ""
            } catch { return error.message }
        }
        #expect(finish(["notes.json"]).contains("no cloud and date"))
        #expect(finish(["ServiceTags_Public_20240415.json"], cloud: "AzureGovernment").contains("says cloud"))
        #expect(finish(["ServiceTags_Public_20240422.json", "ServiceTags_Public_20240415.json"]).contains("order"))
        #expect(finish(["ServiceTags_Public_20240415.json", "ServiceTags_Public_20240415 (1).json"]).contains("same date"))
        #expect(finish([]).contains("no weekly files"))
        var twice = CompiledHistoryBuilder()
        #expect(throws: CompiledIndexError.self) {
            try twice.add(ServiceTagsFile(cloud: "Public", tags: [ServiceTag(name: "A"), ServiceTag(name: "A")]), fileName: "ServiceTags_Public_20240415.json", sha256: sha, size: 1)
        }
    }

    /// An index is not a history and a history is not an index: each names what it found.
    @Test func formatsAreToldApartByTheirHeaders() throws {
        let history = try Self.compile(HistorySamples.archive(weeks: 2, seed: 1).files)
        #expect(CompiledHistory.hasMagic(history) && !CompiledIndex.hasMagic(history))
        #expect(throws: CompiledIndexError.self) { try history.withUnsafeBytes { try CompiledIndex(bytes: $0) } }
        let index = try CompiledIndex.compile(SyntheticServiceTags(.init(tags: 4, prefixes: 20, seed: 1)).file, sourceSHA256: [UInt8](repeating: 0, count: 32), sourceSize: 1)
        let error = index.withUnsafeBytes { raw -> CompiledIndexError? in
            do throws(CompiledIndexError) { _ = try CompiledHistory(bytes: raw); return nil } catch { return error }
        }
        #expect(error?.kind == .notAnIndex && error?.message == "not a compiled history (no STAGHIST header)")
    }
}

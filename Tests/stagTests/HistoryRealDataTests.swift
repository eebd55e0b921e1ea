import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `stag history` on real weekly series (`../shared/data/history/`, never committed): for 400
/// seeded addresses, `--json` equals the reference per file (`ReferenceTagTable.hashProbe`, itself
/// checked against the linear scan on 8 of them: a linear scan of ~90,000 prefixes per address
/// and file for all 400 would take minutes in debug), and `--tag AzureCloud --json` equals per-file `Set`
/// differences.
@Suite struct HistoryRealDataTests {
    static let series = ["public-2024", "usgov-2025"]
    static let available = series.allSatisfy { FixturePaths.realHistoryDirectory($0) != nil }

    /// Addresses inside random prefixes of random files (random host bits), and some anywhere.
    static func addresses(_ files: [ServiceTagsFile], count: Int, seed: UInt64) -> [IPAddress] {
        var rng = SplitMix64(seed: seed)
        var out: [IPAddress] = []
        while out.count < count {
            let tag = rng.element(of: rng.element(of: files).tags)
            if rng.chance(0.1) {
                out.append(.v4(IPv4Address(bits: UInt32.random(in: 0...UInt32.max, using: &rng))))
            } else if rng.chance(0.75), !tag.ipv4.isEmpty {
                out.append(.v4(HistorySamples.inside(rng.element(of: tag.ipv4), &rng)))
            } else if !tag.ipv6.isEmpty {
                out.append(.v6(HistorySamples.inside(rng.element(of: tag.ipv6), &rng)))
            }
        }
        return out
    }

    @Test(.enabled(if: available, Comment(rawValue: FixturePaths.realHistorySkipNote + series.joined(separator: ", "))), arguments: series)
    func historyMatchesTheReference(series: String) throws {
        let dir = try #require(FixturePaths.realHistoryDirectory(series))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        let files = try names.map { try ServiceTagsFile(readingFileAt: dir + "/" + $0) }
        let dates = names.map(HistoryCLI.date(ofFileNamed:))
        let addresses = Self.addresses(files, count: 400, seed: 2024)
        let input = addresses.map(\.description).joined(separator: "\n") + "\n"

        let r = try StagCLI.run(["history", "--archive", dir, "--json", "-"], stdin: .bytes(Data(input.utf8)))
        #expect(r.stderr.isEmpty)
        let answers = files.map { ReferenceHistory.probedAnswers($0, addresses) }
        // The probe against the plain linear scan itself, on the first 8 addresses (all 400 would
        // take minutes in debug).
        let some = addresses.prefix(8).map(AddressHistory.query(for:))
        for (f, file) in files.enumerated() {
            #expect(ReferenceHistory.linearAnswers(file, some) == Array(answers[f].prefix(8)), "\(names[f])")
        }
        let want = zip(addresses, ReferenceHistory.histories(answers, queries: addresses.count)).map {
            HistoryCLI.expected($0.description, $1, dates: dates)
        }
        let got = try r.stdout.split(separator: "\n").map(HistoryCLI.decodeAddress)
        HistoryCLI.expectSame(got, want)
        #expect(r.status == (want.contains { $0.tags.isEmpty } ? 1 : 0))
        // The series must have moved: some address was in some tag for only part of the weeks.
        let whole = "\(dates[0]) \(dates[dates.count - 1]) "
        #expect(want.contains { $0.tags.contains { $0.dropFirst().contains { !$0.hasPrefix(whole) } } })

        let tags = try StagCLI.run(["history", "--archive", dir, "--json", "--tag", "AzureCloud"])
        #expect(tags.status == 0 && tags.stderr.isEmpty)
        let expected = HistoryCLI.expected(tag: "AzureCloud", ReferenceHistory.weeks(of: "AzureCloud", in: files), dates: dates)
        #expect(try tags.stdout.split(separator: "\n").map(HistoryCLI.decodeTag) == [expected])
        print("history \(series): \(files.count) files, 400 addresses in \(String(format: "%.2f", r.seconds)) s, --tag in \(String(format: "%.2f", tags.seconds)) s")
    }
}

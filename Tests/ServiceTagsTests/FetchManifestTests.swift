import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The fetch manifest model, its JSON form (checked with Foundation's independent parser) and the
/// weekly file names it is keyed by.
@Suite struct FetchManifestTests {
    static let sha = String(repeating: "ab", count: 32)

    static func entry(_ cloud: ServiceTagsCloud, _ date: String, size: Int = 100) -> FetchManifest.Entry {
        FetchManifest.Entry(name: ServiceTagsFileName(cloud: cloud, date: date)!, changeNumber: Int(date.suffix(3)), size: size,
                            sha256: sha, url: "https://example.test/ServiceTags_\(cloud.fileStem)_\(date).json",
                            fetchedAt: "2025-10-29T03:00:00Z")
    }

    @Test(arguments: [
        ("ServiceTags_Public_20251028.json", ServiceTagsCloud.public, "20251028"),
        ("ServiceTags_AzureGovernment_20260720.json", .usgov, "20260720"),
        ("ServiceTags_China_20250804.json", .china, "20250804"),
    ])
    func fileNamesParse(name: String, cloud: ServiceTagsCloud, date: String) throws {
        let parsed = try #require(ServiceTagsFileName(name))
        #expect(parsed.cloud == cloud && parsed.date == date)
        #expect(parsed.description == name)
    }

    @Test(arguments: [
        "ServiceTags_Public_2025102.json", "ServiceTags_Public_202510288.json", "ServiceTags_Public_20251328.json",
        "ServiceTags_Public_20251000.json", "ServiceTags_Public_19991231.json", "ServiceTags_AzureGermany_20220307.json",
        "ServiceTags_public_20251028.json", "ServiceTags_Public_20251028.json.tmp", "../ServiceTags_Public_20251028.json",
        "x/ServiceTags_Public_20251028.json", "ServiceTags_Public_2025-10-28.json", "ServiceTags_Public_Latest.json",
        "ServiceTags__20251028.json", "",
    ])
    func badFileNamesAreRejected(name: String) {
        #expect(ServiceTagsFileName(name) == nil)
    }

    @Test func cloudNames() {
        #expect(ServiceTagsCloud(optionName: "USGov") == .usgov)
        #expect(ServiceTagsCloud(optionName: "germany") == nil)
        #expect(ServiceTagsCloud(cloudField: "AzureGovernment") == .usgov)
        #expect(ServiceTagsCloud(cloudField: "China") == .china)
        #expect(ServiceTagsCloud.allCases.map(\.downloadCenterID) == [56519, 57063, 57062])
        #expect(ServiceTagsCloud.public.detailsPage == "https://www.microsoft.com/en-us/download/details.aspx?id=56519")
    }

    @Test func writtenManifestReadsBackInFoundation() throws {
        var m = FetchManifest()
        m.record(Self.entry(.public, "20251028", size: 4_123_456))
        var withValidators = Self.entry(.usgov, "20260720")
        withValidators.etag = "\"0x8DE\\tag\""
        withValidators.lastModified = "Mon, 20 Jul 2026 10:00:00 GMT"
        withValidators.changeNumber = nil
        m.record(withValidators)
        let text = m.serialized()
        #expect(text.hasSuffix("}\n"))

        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["manifestVersion"] as? Int == 1)
        let files = try #require(root["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["file"] as? String == "ServiceTags_Public_20251028.json")
        #expect(files[0]["cloud"] as? String == "Public")
        #expect(files[0]["size"] as? Int == 4_123_456)
        #expect(files[0]["changeNumber"] as? Int == 28)
        #expect(files[0]["etag"] == nil)
        #expect(files[1]["cloud"] as? String == "AzureGovernment")
        #expect(files[1]["changeNumber"] is NSNull)
        #expect(files[1]["etag"] as? String == "\"0x8DE\\tag\"")
        #expect(files[1]["sha256"] as? String == Self.sha)

        #expect(try FetchManifest(parsing: Array(text.utf8)) == m)
    }

    @Test func readsAHandWrittenManifestAndIgnoresUnknownKeys() throws {
        let text = """
        {"manifestVersion": 1, "comment": "by hand", "files": [
          {"file": "ServiceTags_China_20250804.json", "cloud": "China", "date": "20250804", "size": 263000,
           "sha256": "\(Self.sha)", "url": "https://x/ServiceTags_China_20250804.json", "fetchedAt": "2025-08-05T00:00:00Z",
           "future": [1, 2]}
        ]}
        """
        let m = try FetchManifest(parsing: Array(text.utf8))
        #expect(m.entries.count == 1)
        let e = try #require(m.entries.first)
        #expect(e.cloud == .china && e.date == "20250804" && e.size == 263_000 && e.changeNumber == nil && e.etag == nil)
    }

    @Test(arguments: [
        ("[]", "not a JSON object"),
        ("{\"files\": []}", "manifestVersion"),
        ("{\"manifestVersion\": 2, \"files\": []}", "version 2 is not supported"),
        ("{\"manifestVersion\": 1}", "\"files\""),
        ("{\"manifestVersion\": 1, \"files\": [{\"file\": \"../../etc/passwd\"}]}", "is not a ServiceTags_"),
        ("{\"manifestVersion\": 1, \"files\": [{\"file\": \"ServiceTags_Public_20251028.json\", \"cloud\": \"China\", \"date\": \"20251028\"}]}", "disagrees"),
        ("{\"manifestVersion\": 1, \"files\": [{\"file\": \"ServiceTags_Public_20251028.json\", \"cloud\": \"Public\", \"date\": \"20251028\", \"size\": -1}]}", "\"size\""),
        ("{\"manifestVersion\": 1, \"files\": [{\"file\": \"ServiceTags_Public_20251028.json\", \"cloud\": \"Public\", \"date\": \"20251028\", \"size\": 1, \"sha256\": \"ABC\"}]}", "sha256"),
        ("{\"manifestVersion\": 1, \"files\": [", "1:34 (byte 33): unexpected end of input"),
        ("{\"manifestVersion\": 1, \"manifestVersion\": 1, \"files\": []}", "1:24 (byte 23): duplicate key \"manifestVersion\""),
    ])
    func rejectsBadManifests(text: String, mentioning: String) {
        do {
            _ = try FetchManifest(parsing: Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.message.contains(mentioning), "\(error.message)")
        }
    }

    @Test func duplicateEntriesAreRejected() {
        let one = FetchManifest(entries: [Self.entry(.public, "20251028")]).jsonValue
        guard case .object(var members) = one, case .array(let files) = members[1].value else { Issue.record("shape"); return }
        members[1].value = .array(files + files)
        #expect(throws: FetchManifest.ReadError.self) { try FetchManifest(parsing: Array(JSONValue.object(members).serialized().utf8)) }
    }

    /// Pruning against a reference: per cloud, sort dates and keep the last N.
    @Test(arguments: [1, 2, 3, 8])
    func pruneKeepsTheNewestPerCloud(keep: Int) {
        var rng = SplitMix64(seed: UInt64(keep))
        var all: [FetchManifest.Entry] = []
        for cloud in ServiceTagsCloud.allCases {
            var dates = Set<String>()
            for _ in 0..<Int.random(in: 0...7, using: &rng) {
                dates.insert("2025\(String(format: "%02d%02d", Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng)))")
            }
            all += dates.map { Self.entry(cloud, $0) }
        }
        all.shuffle(using: &rng)
        var m = FetchManifest(entries: all)
        let removed = m.prune(keep: keep)
        for cloud in ServiceTagsCloud.allCases {
            let dates = all.filter { $0.cloud == cloud }.map(\.date).sorted()
            #expect(m.entries(for: cloud).map(\.date) == Array(dates.suffix(keep)))
            #expect(removed.filter { $0.cloud == cloud }.map(\.date).sorted() == Array(dates.dropLast(keep)))
        }
    }

    @Test func prunePinsTheFileJustStored() {
        var m = FetchManifest(entries: ["20251020", "20251027", "20250101"].map { Self.entry(.public, $0) })
        let removed = m.prune(keep: 1, pinned: ServiceTagsFileName(cloud: .public, date: "20250101"))
        #expect(m.entries.map(\.date) == ["20250101", "20251027"])
        #expect(removed.map(\.date) == ["20251020"])
    }
}

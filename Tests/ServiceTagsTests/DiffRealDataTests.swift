import Foundation
import ServiceTagsTestSupport
import Testing

/// The diff of real consecutive weekly files against an independent reference: the files parsed by
/// Foundation's `JSONSerialization`, each prefix by `SlowAddressParser` (not the reader's parser), compared with `Set`
/// arithmetic (exact) and `ReferenceIntervals` (address space).
///
/// The diff itself reads the files with `ServiceTagsFile(readingFileAt:)`. When the data files are
/// absent these tests are skipped (`.realData`).
@Suite(.tags(.realData)) struct DiffRealDataTests {
    static let oldName = "ServiceTags_Public_20251013.json"
    static let newName = "ServiceTags_Public_20251028.json"

    /// `<package root>/../shared/data/servicetags/<name>`, else `/work/shared/data/servicetags/<name>`.
    static func dataFile(_ name: String) -> URL? { FixturePaths.realFile(name).map { URL(fileURLWithPath: $0) } }

    /// A failure to load data, kept as text so the cached result below is `Sendable`.
    struct LoadFailure: Error, Sendable, CustomStringConvertible { var description: String }

    /// `name` read by the code under test (the tests' `.realData` trait checked it is present).
    static func read(_ name: String) throws(LoadFailure) -> ServiceTagsFile {
        guard let url = dataFile(name) else { throw LoadFailure(description: "\(name): not found") }
        do {
            return try ServiceTagsFile(readingFileAt: url.path)
        } catch {
            throw LoadFailure(description: "\(name): \(error)")
        }
    }

    /// One tag as the independent parser sees it.
    struct ReferenceTag: Sendable {
        var changeNumber: Int?
        var region: String
        var regionId: Int?
        var networkFeatures: [String]?
        var v4: Set<IPv4Prefix> = []
        var v6: Set<IPv6Prefix> = []
    }

    struct Reference: Sendable {
        var changeNumber: Int?
        var cloud: String
        var tags: [String: ReferenceTag]
    }

    /// `name` parsed by `JSONSerialization` and `SlowAddressParser`.
    static func reference(_ name: String) throws(LoadFailure) -> Reference {
        func fail(_ what: String) -> LoadFailure { LoadFailure(description: "\(name): \(what)") }
        guard let url = dataFile(name), let data = try? Data(contentsOf: url),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let values = root["values"] as? [[String: Any]], let cloud = root["cloud"] as? String
        else { throw fail("not a ServiceTags document") }
        var tags: [String: ReferenceTag] = [:]
        for value in values {
            guard let name = value["name"] as? String, let p = value["properties"] as? [String: Any],
                  let texts = p["addressPrefixes"] as? [String] else { throw fail("malformed entry") }
            var tag = ReferenceTag(changeNumber: p["changeNumber"] as? Int, region: p["region"] as? String ?? "",
                                   regionId: p["regionId"] as? Int, networkFeatures: p["networkFeatures"] as? [String])
            for text in texts {
                switch SlowAddressParser.prefix(text) {
                case .v4(let x)?: tag.v4.insert(x)
                case .v6(let x)?: tag.v6.insert(x)
                case nil: throw fail("bad prefix \(text)")
                }
            }
            guard tags.updateValue(tag, forKey: name) == nil else { throw fail("duplicate tag \(name)") }
        }
        return Reference(changeNumber: root["changeNumber"] as? Int, cloud: cloud, tags: tags)
    }

    /// The two consecutive weeks, each read by the code under test and by the reference.
    struct Weeks: Sendable {
        var old: ServiceTagsFile
        var new: ServiceTagsFile
        var before: Reference
        var after: Reference
    }

    /// Loaded once for every test of the suite: parsing 4 MB twice over in debug builds is the slow part.
    static let cachedWeeks = Result { () throws(LoadFailure) -> Weeks in
        let old = try read(oldName), new = try read(newName)
        return Weeks(old: old, new: new, before: try reference(oldName), after: try reference(newName))
    }

    static func weeks() throws -> Weeks { try cachedWeeks.get() }

    @Test(.realData(oldName, newName)) func exactDiffOfConsecutiveWeeksEqualsSetDifferences() throws {
        let w = try Self.weeks()
        let diff = ServiceTagsDiff(old: w.old, new: w.new)
        let (before, after) = (w.before, w.after)
        #expect(diff.old.changeNumber == before.changeNumber && diff.new.changeNumber == after.changeNumber)
        #expect(diff.old.cloud == before.cloud && diff.new.cloud == after.cloud)

        var changed = 0, added = 0, removed = 0
        let entries = Dictionary(uniqueKeysWithValues: diff.tags.map { ($0.name, $0) })
        for (name, o) in before.tags {
            let n = try #require(after.tags[name], "no tag was dropped that week")
            let gained4 = n.v4.subtracting(o.v4).sorted(), lost4 = o.v4.subtracting(n.v4).sorted()
            let gained6 = n.v6.subtracting(o.v6).sorted(), lost6 = o.v6.subtracting(n.v6).sorted()
            let differs = !(gained4.isEmpty && lost4.isEmpty && gained6.isEmpty && lost6.isEmpty)
            if differs { changed += 1 }
            added += gained4.count + gained6.count
            removed += lost4.count + lost6.count
            let entry = entries[name]
            #expect(entry?.added.ipv4 ?? [] == gained4 && entry?.added.ipv6 ?? [] == gained6, "\(name)")
            #expect(entry?.removed.ipv4 ?? [] == lost4 && entry?.removed.ipv6 ?? [] == lost6, "\(name)")
            #expect(entry?.prefixesChanged ?? false == differs, "\(name)")
            if let entry {
                #expect(entry.oldChangeNumber == o.changeNumber && entry.newChangeNumber == n.changeNumber)
            }
        }
        #expect(changed == 32 && added == 170 && removed == 119)
        let s = diff.summary
        #expect(s.tagsChanged == 32 && s.tagsAdded == 0 && s.tagsRemoved == 0)
        #expect(s.prefixesAdded == 170 && s.prefixesRemoved == 119)
        #expect(diff.anomalies.isEmpty) // every changed tag's changeNumber moved that week
    }

    @Test(.realData(oldName, newName)) func addressSpaceDiffOfConsecutiveWeeksEqualsIntervalArithmetic() throws {
        let w = try Self.weeks()
        let diff = ServiceTagsDiff(old: w.old, new: w.new, mode: .addressSpace)
        let (before, after) = (w.before, w.after)
        let entries = Dictionary(uniqueKeysWithValues: diff.tags.map { ($0.name, $0) })
        var differences = 0, reexpressed = 0
        for (name, o) in before.tags {
            let n = try #require(after.tags[name])
            guard o.v4 != n.v4 || o.v6 != n.v6 else {
                #expect(entries[name] == nil || entries[name]?.isDifference == false, "\(name)")
                continue
            }
            let e4 = Self.expectedChange(o.v4, n.v4), e6 = Self.expectedChange(o.v6, n.v6)
            let entry = try #require(entries[name], "\(name) changed")
            #expect(entry.added.ipv4 == e4.gained && entry.removed.ipv4 == e4.lost, "\(name)")
            #expect(entry.added.ipv6 == e6.gained && entry.removed.ipv6 == e6.lost, "\(name)")
            let same = e4.gained.isEmpty && e4.lost.isEmpty && e6.gained.isEmpty && e6.lost.isEmpty
            #expect(entry.isReexpressed == same && entry.isDifference == !same, "\(name)")
            if same { reexpressed += 1 } else { differences += 1 }
        }
        #expect(diff.summary.tagsChanged == differences && diff.summary.tagsReexpressed == reexpressed)
        #expect(differences + reexpressed == 32)
    }

    /// The minimal covers of the addresses gained and lost from `a` to `b`, by interval arithmetic.
    static func expectedChange<A>(_ a: Set<Prefix<A>>, _ b: Set<Prefix<A>>) -> (gained: [Prefix<A>], lost: [Prefix<A>]) {
        let x = ReferenceIntervals.merged(Array(a)), y = ReferenceIntervals.merged(Array(b))
        return (ReferenceIntervals.cover(ReferenceIntervals.subtracting(y, x)),
                ReferenceIntervals.cover(ReferenceIntervals.subtracting(x, y)))
    }

    @Test(.realData(oldName, newName, "ServiceTags_Public_20190722.json")) func theOldSchemaReportsNewFieldsAsAbsentBefore() throws {
        let w = try Self.weeks(), old = try Self.read("ServiceTags_Public_20190722.json")
        let diff = ServiceTagsDiff(old: old, new: w.old)
        let after = w.before
        let oldNames = Set(old.tags.map(\.name))
        #expect(diff.summary.tagsAdded == after.tags.keys.filter { !oldNames.contains($0) }.count)
        for entry in diff.tags where entry.status == .changed {
            // The 2019 schema has no regionId and no networkFeatures: each shows as absent -> value.
            let regionId = entry.metadata.first { $0.field == .regionId }
            #expect(regionId?.old == .absent && regionId?.new == after.tags[entry.name]?.regionId.map { .integer($0) })
            // Some tags still have `"networkFeatures": null` in 2025: absent on both sides, no change.
            let features = entry.metadata.first { $0.field == .networkFeatures }
            let expected = after.tags[entry.name]?.networkFeatures
            #expect(features?.old == (expected == nil ? nil : .absent), "\(entry.name)")
            #expect(features?.new == expected.map { .strings($0) }, "\(entry.name)")
        }
    }

    @Test(.realData(oldName, newName, "ServiceTags_AzureGovernment_20260720.json")) func filesFromDifferentCloudsAreFlagged() throws {
        let w = try Self.weeks(), gov = try Self.read("ServiceTags_AzureGovernment_20260720.json")
        let diff = ServiceTagsDiff(old: gov, new: w.new, selecting: [TagPattern("AzureCloud")])
        #expect(diff.anomalies.first == .cloudMismatch(old: "AzureGovernment", new: "Public"))
    }
}

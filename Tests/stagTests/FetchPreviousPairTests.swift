import Foundation
import ServiceTags
@testable import stag
import Testing

/// `CacheDirectory.previousPair`, the entry point `stag diff --previous` uses, called in-process.
@Suite struct FetchPreviousPairTests {
    typealias F = FetchFixtures

    @Test func theTwoNewestOfACloud() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try F.populate(dir, [
            .init(name: "ServiceTags_Public_20251014.json", body: F.body(salt: 1)),
            .init(name: "ServiceTags_Public_20251028.json", body: F.body(salt: 3)),
            .init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 2)),
            .init(name: "ServiceTags_AzureGovernment_20260713.json", body: F.body(cloud: "AzureGovernment")),
            .init(name: "ServiceTags_AzureGovernment_20260720.json", body: F.body(cloud: "AzureGovernment", salt: 1)),
        ])
        let pair = try CacheDirectory.previousPair(cloud: nil, in: dir.path)
        #expect(pair.old == dir.appendingPathComponent("ServiceTags_Public_20251021.json").path)
        #expect(pair.new == dir.appendingPathComponent("ServiceTags_Public_20251028.json").path)
        let gov = try CacheDirectory.previousPair(cloud: .usgov, in: dir.path)
        #expect(gov.old.hasSuffix("/ServiceTags_AzureGovernment_20260713.json"))
        #expect(gov.new.hasSuffix("/ServiceTags_AzureGovernment_20260720.json"))
    }

    @Test func fewerThanTwoIsAnErrorThatSaysWhatToDo() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try CacheDirectory.previousPair(cloud: nil, in: dir.path)
            Issue.record("no error for an empty cache")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("nothing is stored in \(dir.path)"))
        }
        try F.populate(dir, [.init(name: "ServiceTags_Public_20251028.json", body: F.body())])
        do {
            _ = try CacheDirectory.previousPair(cloud: .public, in: dir.path)
            Issue.record("no error with one file")
        } catch {
            #expect(error.message.contains("found 1 (ServiceTags_Public_20251028.json)"), "\(error.message)")
            #expect(error.message.contains("pass OLD and NEW"))
        }
    }

    /// The manifest decides, not the names: an unrecorded newer file is not part of the pair.
    @Test func theManifestDecides() throws {
        let dir = try F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try F.populate(dir, [
            .init(name: "ServiceTags_Public_20251014.json", body: F.body(salt: 1)),
            .init(name: "ServiceTags_Public_20251021.json", body: F.body(salt: 2)),
            .init(name: "ServiceTags_Public_20251028.json", body: F.body(salt: 3), recorded: false),
        ])
        let pair = try CacheDirectory.previousPair(cloud: .public, in: dir.path)
        #expect(pair.old.hasSuffix("/ServiceTags_Public_20251014.json"))
        #expect(pair.new.hasSuffix("/ServiceTags_Public_20251021.json"))
    }
}

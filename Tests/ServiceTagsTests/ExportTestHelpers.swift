import Foundation
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Shared inputs and helpers of the Export*Tests suites.
enum ExportFixtures {
    /// `<package root>/Fixtures/export`.
    static let directory = URL(fileURLWithPath: FixturePaths.fixtures + "/export")

    /// The golden files' input (see Fixtures/export/README.md).
    static let tagName = "AzureCloud.westeurope"
    static let oldTag = ServiceTag(name: tagName, changeNumber: 374, ipv4: ["20.33.0.0/16", "40.64.0.0/10", "52.96.0.0/12"].map(SetTesting.v4),
                                   ipv6: ["2603:1000::/40"].map(SetTesting.v6))
    static let newTag = ServiceTag(name: tagName, changeNumber: 375, ipv4: ["4.150.0.0/18", "20.33.0.0/16", "40.64.0.0/10"].map(SetTesting.v4),
                                   ipv6: ["2603:1000::/40", "2603:1020::/47"].map(SetTesting.v6))
    static let oldFile = ServiceTagsFile(changeNumber: 374, cloud: "Public", tags: [oldTag])
    static let newFile = ServiceTagsFile(changeNumber: 375, cloud: "Public", tags: [newTag])

    static func list(_ file: ServiceTagsFile, _ selection: ExportSelection = ExportSelection(include: [TagPattern(tagName)])) throws -> ExportList {
        try ExportList(file, selecting: selection)
    }

    static func text(_ result: ExportResult) -> String { String(decoding: result.bytes, as: UTF8.self) }

    /// A real file through the library's reader (the test's `.realData` trait checked it is there);
    /// nil, with the failure recorded, when it is absent or does not read.
    static func realFile(_ name: String, for suite: String) -> ServiceTagsFile? {
        guard let path = FixturePaths.realFile(name) else {
            Issue.record("\(suite): \(name) not found")
            return nil
        }
        do {
            return try ServiceTagsFile(readingFileAt: path)
        } catch {
            Issue.record("reading \(path): \(error)")
            return nil
        }
    }

    /// A random tag list: prefixes scattered over a few blocks, so they touch, nest and repeat.
    static func randomPrefixes<A>(_ count: Int, in universes: [Prefix<A>], using rng: inout SplitMix64) -> [Prefix<A>] {
        (0..<count).map { _ in Prefix.random(in: universes[Int.random(in: 0..<universes.count, using: &rng)], using: &rng) }
    }

    /// Every address family set by a prefix list, as the independent reference (`PrefixSet` is
    /// tested on its own against bitmaps).
    static func space(_ prefixes: [IPPrefix]) -> IPSet { IPSet(prefixes) }
}

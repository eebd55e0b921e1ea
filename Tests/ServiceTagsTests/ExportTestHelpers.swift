import Foundation
@testable import ExportTargetModels
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

    /// What a user loads for `format`'s full list, in order: the companion format's file first
    /// (the ipset sets that iptables rules match, `TargetModels.companion`), then the format's.
    static func fullScripts(_ format: any ExportFormat, _ list: ExportList, options: ExportOptions = ExportOptions()) throws -> [String] {
        try companions(format).map { companion in
            var plain = options
            plain.rule = nil
            return text(try Exporter.export(list, as: companion, options: plain))
        } + [text(try Exporter.export(list, as: format, options: options))]
    }

    /// What a user applies for `format`'s delta from `old` to `new`, companion first.
    static func deltaScripts(_ format: any ExportFormat, from old: ExportList, to new: ExportList,
                             options: ExportOptions = ExportOptions()) throws -> [String] {
        try companions(format).map { companion in
            var plain = options
            plain.rule = nil
            return text(try Exporter.exportDelta(from: old, to: new, as: companion, options: plain))
        } + [text(try Exporter.exportDelta(from: old, to: new, as: format, options: options))]
    }

    static func companions(_ format: any ExportFormat) -> [any ExportFormat] {
        TargetModels.companion(for: format.id).flatMap(ExportFormats.named).map { [$0] } ?? []
    }

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

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tests and benchmarks find committed fixtures and the (never committed) real files.
///
/// Paths come from this file's `#filePath`, not `Bundle.module`, so they work from any worktree and
/// from the benchmark binary. Only the C library is used (no Foundation in this target).
public enum FixturePaths {
    /// The package root: this file is `<root>/Sources/ServiceTagsTestSupport/FixturePaths.swift`.
    public static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `<root>/Fixtures`.
    public static var fixtures: String { packageRoot + "/Fixtures" }

    /// `<root>/Fixtures/sample.json`, the README sample (`SyntheticServiceTags.Parameters.sample`).
    public static var sample: String { fixtures + "/sample.json" }

    /// The directory holding Microsoft's real files: `$STAG_REAL_DATA` when set (so a check can
    /// point it at an empty place and see the real-data tests skip), else
    /// `<root>/../shared/data/servicetags`, else the fixed `/work/shared/data/servicetags`; `nil`
    /// when none exists (the tests needing it are skipped by their `.realData` trait).
    public static func realDataDirectory() -> String? {
        if let override = getenv("STAG_REAL_DATA") { return exists(String(cString: override)) ? String(cString: override) : nil }
        return [packageRoot + "/../shared/data/servicetags", "/work/shared/data/servicetags"].first(where: exists)
    }

    /// Whether every named real file is present: the condition of the tests' `.realData` trait.
    public static func hasRealFiles(_ names: [String]) -> Bool { names.allSatisfy { realFile($0) != nil } }

    /// How every real-data skip comment starts; `.ci/run` fails when a test skipped with it while
    /// `../shared/data` is there.
    public static let realDataSkipNote = "needs ../shared/data/servicetags/"

    /// The path of one real file by name (e.g. `ServiceTags_Public_20251028.json`), if present.
    public static func realFile(_ name: String) -> String? {
        realDataDirectory().map { $0 + "/" + name }.flatMap { exists($0) ? $0 : nil }
    }

    /// A directory of consecutive weekly files of one cloud under `../shared/data/history/`
    /// (e.g. `public-2024`), for the `stag history` tests; `nil` when absent.
    public static func realHistoryDirectory(_ series: String) -> String? {
        [packageRoot + "/../shared/data/history/" + series, "/work/shared/data/history/" + series].first(where: exists)
    }

    /// How a history test's skip comment starts (it matches `.ci/run`'s real-data check too).
    public static let realHistorySkipNote = "needs ../shared/data/history/"

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

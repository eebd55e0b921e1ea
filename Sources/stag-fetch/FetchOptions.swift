import Foundation
import ServiceTags
import StagOptions

/// The options of `stag fetch`, as `stag` passes them through (`stag fetch --help` documents
/// them; `stag` has already rejected unknown options, this parser checks again for direct runs).
struct FetchOptions {
    var cloud: ServiceTagsCloud = .public
    var directory: String
    var url: String?
    var page: String?
    /// `--import FILE`: store this local file instead of downloading.
    var importPath: String?
    var allowHTTP = false
    var keep = 8
    /// Seconds for each request, connection to last byte.
    var timeout: Double = 60
    var retries = 2
    var force = false
    var json = false
    /// Accept a file dated more than `futureDays` after `today`, or with a lower changeNumber
    /// than the newest stored one of its cloud.
    var allowRollback = false
    /// `--history`: create the cloud's compiled history in the cache if it is missing or stale
    /// (once asked, every stored file keeps it current: `CacheStore.refreshHistory`).
    var history = false
    /// `YYYYMMDD`, UTC; `STAG_FETCH_TODAY` overrides it so tests do not depend on the clock.
    var today = FetchOptions.utcDate(Date())
    static let futureDays = 14
    /// The first retry delay; doubled for each further retry. `STAG_FETCH_BACKOFF_MS`, so tests can
    /// make it milliseconds.
    var backoffMilliseconds = 1000
    /// Largest body accepted: real files are about 4 MiB.
    var maxBytes = 64 << 20

    typealias Spec = FetchOptionSpecs

    /// Parses with `stag`'s parser and `stag fetch`'s specs (`StagOptions`), so the two cannot
    /// disagree on what a fetch command line means.
    static func parse(_ arguments: [String], environment: [String: String]) throws(FetchFailure) -> FetchOptions {
        let args: ParsedArguments
        do { args = try ArgumentParser.parse(arguments, options: Spec.all) } catch { throw .usage(error.message) }
        if args.has(Spec.list) || args.has(Spec.verify) {
            throw .usage("--list and --verify are handled by 'stag fetch', not by stag-fetch")
        }
        if let extra = args.positionals.first { throw .usage("unexpected argument '\(extra)'") }

        func env(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let directory = args.value(Spec.dir) ?? env("STAG_CACHE_DIR") ?? env("XDG_CACHE_HOME").map { $0 + "/stag" }
            ?? env("HOME").map { $0 + "/.cache/stag" }
        guard let directory else { throw .usage("no cache directory: pass --dir DIR or set STAG_CACHE_DIR (or HOME)") }
        var o = FetchOptions(directory: directory)
        if let c = args.value(.cloud) {
            guard let cloud = ServiceTagsCloud(optionName: c) else { throw .usage("unknown cloud '\(c)': use public, usgov or china") }
            o.cloud = cloud
        }
        o.url = args.value(Spec.url)
        o.page = args.value(Spec.page)
        o.importPath = args.value(Spec.importFile)
        if let path = o.importPath {
            if let other = [Spec.url, Spec.page, Spec.allowHTTP, Spec.timeout, Spec.retries].first(where: args.gave) {
                throw .usage("--import stores a local file; \(other.name) applies to downloads")
            }
            // The file's name says its cloud; --cloud, when given, must agree (checked by the import).
            if !args.gave(.cloud), let name = ServiceTagsFileName(URL(fileURLWithPath: path).lastPathComponent) { o.cloud = name.cloud }
        }
        if let url = o.url, url.lowercased().hasPrefix("file:") {
            throw .usage("--url \(url): a local file is stored with --import FILE, not --url")
        }
        o.allowHTTP = args.has(Spec.allowHTTP)
        o.force = args.has(Spec.force)
        o.json = args.has(.json)
        o.allowRollback = args.has(Spec.allowRollback)
        o.history = args.has(Spec.history)
        if let t = env("STAG_FETCH_TODAY") {
            guard Self.date(t) != nil else { throw .usage("STAG_FETCH_TODAY must be a date YYYYMMDD, not '\(t)'") }
            o.today = t
        }
        if let k = args.value(Spec.keep) {
            guard let n = Int(k), n >= 1 else { throw .usage("--keep needs a whole number of at least 1, not '\(k)'") }
            o.keep = n
        }
        if let t = args.value(Spec.timeout) {
            guard let s = Double(t), s > 0, s <= 3600 else { throw .usage("--timeout needs seconds between 0 and 3600, not '\(t)'") }
            o.timeout = s
        }
        if let r = args.value(Spec.retries) {
            guard let n = Int(r), (0...10).contains(n) else { throw .usage("--retries needs a whole number from 0 to 10, not '\(r)'") }
            o.retries = n
        }
        if let b = env("STAG_FETCH_BACKOFF_MS") {
            guard let ms = Int(b), ms >= 0 else { throw .usage("STAG_FETCH_BACKOFF_MS must be a whole number of milliseconds, not '\(b)'") }
            o.backoffMilliseconds = ms
        }
        return o
    }

    /// The latest file date accepted without `--allow-rollback`: `today` plus `futureDays`.
    var latestAcceptedDate: String {
        guard let day = Self.date(today) else { return today }
        return Self.utcDate(day.addingTimeInterval(Double(Self.futureDays) * 86_400))
    }

    static var utc: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    static func utcDate(_ date: Date) -> String {
        let d = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", d.year!, d.month!, d.day!)
    }

    /// Midnight UTC of a `YYYYMMDD` string, nil if it is not a real date.
    static func date(_ text: String) -> Date? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let n = Int(text) else { return nil }
        let parts = DateComponents(year: n / 10_000, month: n / 100 % 100, day: n % 100)
        guard let date = utc.date(from: parts), utcDate(date) == text else { return nil }
        return date
    }
}

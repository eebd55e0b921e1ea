import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Archives on disk and the reference's expected `stag history --json` lines, decoded to plain
/// values so output is compared field by field, not as captured text.
enum HistoryCLI {
    /// One `{"address",...}` line, decoded.
    struct AddressLine: Equatable, CustomStringConvertible {
        var address: String
        var files: Int
        var from: String
        var to: String
        /// Per tag (in output order): the name, then `from to prefix` per interval.
        var tags: [[String]]
        var description: String { "\(address) \(files) \(from)-\(to) \(tags)" }
    }

    /// One `{"tag",...}` line, decoded; each week as its fields in a fixed order.
    struct TagLine: Equatable {
        var tag: String
        var files: Int
        var weeks: [[String]]
    }

    static func decodeAddress(_ line: Substring) throws -> AddressLine {
        let o = try CLITestData.json(line)
        let tags = (o["tags"] as! [[String: Any]]).map { t -> [String] in
            [t["name"] as! String] + (t["intervals"] as! [[String: String]]).map { "\($0["from"]!) \($0["to"]!) \($0["prefix"]!)" }
        }
        return AddressLine(address: o["address"] as! String, files: o["files"] as! Int, from: o["from"] as! String,
                           to: o["to"] as! String, tags: tags)
    }

    static func decodeTag(_ line: Substring) throws -> TagLine {
        let o = try CLITestData.json(line)
        let weeks = (o["weeks"] as! [[String: Any]]).map { w -> [String] in
            [w["date"] as! String, "\(w["present"] as! Bool)", (w["changeNumber"] as? Int).map(String.init) ?? "null",
             "\(w["ipv4"] as! Int)", "\(w["ipv6"] as! Int)",
             (w["added"] as! [String]).joined(separator: " "), (w["removed"] as! [String]).joined(separator: " ")]
        }
        return TagLine(tag: o["tag"] as! String, files: o["files"] as! Int, weeks: weeks)
    }

    /// `YYYY-MM-DD` from a weekly file name, read from its last 13 characters (`YYYYMMDD.json`).
    static func date(ofFileNamed name: String) -> String {
        let d = Array(name.dropLast(5).suffix(8))
        return String(d[0..<4]) + "-" + String(d[4..<6]) + "-" + String(d[6..<8])
    }

    /// The expected line of one query from the reference's history and the archive's dates.
    static func expected(_ address: String, _ h: ReferenceHistory.History, dates: [String]) -> AddressLine {
        let names = h.keys.sorted(by: CLITestData.byteOrder)
        return AddressLine(address: address, files: dates.count, from: dates[0], to: dates[dates.count - 1],
                           tags: names.map { n in [n] + h[n]!.sorted { $0.first < $1.first }.map { "\(dates[$0.first]) \(dates[$0.last]) \($0.prefix)" } })
    }

    static func expected(tag: String, _ weeks: [TagHistory.Week], dates: [String]) -> TagLine {
        TagLine(tag: tag, files: dates.count, weeks: zip(dates, weeks).map { d, w in
            [d, "\(w.present)", w.changeNumber.map(String.init) ?? "null", "\(w.ipv4)", "\(w.ipv6)",
             w.added.map(\.description).joined(separator: " "), w.removed.map(\.description).joined(separator: " ")]
        })
    }

    /// Records the first line that differs (a dump of hundreds of lines helps nobody).
    static func expectSame(_ got: [AddressLine], _ want: [AddressLine], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        for (g, w) in zip(got, want) where g != w {
            Issue.record("got \(g)\nwant \(w)", sourceLocation: sourceLocation)
            return
        }
    }

    /// Mondays from 2024-04-15, as in file names.
    static let weekDates = ["20240415", "20240422", "20240429", "20240506", "20240513", "20240520", "20240527", "20240603", "20240610", "20240617"]

    /// Writes `files` as `ServiceTags_<stem>_<date>.json` (dates from `weekDates`) into a fresh
    /// directory; returns it and the ISO dates.
    static func write(_ files: [ServiceTagsFile], stem: String = "Public") throws -> (dir: URL, dates: [String]) {
        precondition(files.count <= weekDates.count)
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-history")
        var dates: [String] = []
        for (file, d) in zip(files, weekDates) {
            let name = "ServiceTags_\(stem)_\(d).json"
            try Data(ServiceTagsJSONWriter().bytes(of: file)).write(to: dir.appendingPathComponent(name))
            dates.append(date(ofFileNamed: name))
        }
        return (dir, dates)
    }
}

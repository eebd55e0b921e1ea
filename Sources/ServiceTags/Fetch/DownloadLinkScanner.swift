/// Finds the links to a cloud's weekly file in a download page (HTML, or any text), whatever form
/// the page uses: `<a href>`, a `<meta http-equiv="refresh" content="0;url=...">`, a JavaScript
/// variable such as `AcOEt_DownloadUrl`, or JSON embedded in a script (with `\/` or `\u002F`
/// escapes). Pages have changed form several times (2023, 2024), so nothing depends on the markup.
///
/// A link is a URL whose last path segment is exactly `ServiceTags_<Stem>_YYYYMMDD.json`
/// (optionally followed by a query or fragment). Absolute URLs (`https://...`, `//host/...`)
/// count wherever they appear; relative ones only as an `href=`, `src=` or `url=` value, since a
/// bare file name in the page's text is a label, not a link.
public enum DownloadLinkScanner {
    public struct Link: Equatable, Sendable {
        /// The URL as found (escapes undone), absolute or relative to the page.
        public var url: String
        public var name: ServiceTagsFileName
        public var isAbsolute: Bool
    }

    /// Every link to `cloud`'s file, in page order.
    /// - Complexity: O(page size).
    public static func links(in page: some Collection<UInt8>, cloud: ServiceTagsCloud) -> [Link] {
        let text = unescapeSlashes(Array(page))
        let needle = Array("ServiceTags_\(cloud.fileStem)_".utf8)
        var links: [Link] = []
        var from = 0
        while let at = find(needle, in: text, from: from) {
            from = at + 1
            let dateStart = at + needle.count
            let nameEnd = dateStart + 8 + 5
            guard nameEnd <= text.count, text[dateStart + 8 ..< nameEnd].elementsEqual(".json".utf8),
                  let name = ServiceTagsFileName(cloud: cloud, date: String(decoding: text[dateStart ..< dateStart + 8], as: UTF8.self)),
                  nameEnd == text.count || !isNameByte(text[nameEnd]),
                  at == 0 || text[at - 1] == UInt8(ascii: "/") || !isNameByte(text[at - 1])
            else { continue }
            var start = at
            while start > 0, isURLByte(text[start - 1]) { start -= 1 }
            var end = nameEnd
            if end < text.count, text[end] == UInt8(ascii: "?") || text[end] == UInt8(ascii: "#") {
                while end < text.count, isURLByte(text[end]) || text[end] == UInt8(ascii: "=") { end += 1 }
            }
            let run = Array(text[start..<end])
            if let scheme = firstScheme(in: run) {
                links.append(Link(url: String(decoding: run[scheme...], as: UTF8.self), name: name, isAbsolute: true))
            } else if run.starts(with: "//".utf8) {
                links.append(Link(url: String(decoding: run, as: UTF8.self), name: name, isAbsolute: true))
            } else if isAttributeValue(text, at: start) {
                links.append(Link(url: String(decoding: run, as: UTF8.self), name: name, isAbsolute: false))
            }
        }
        return links
    }

    /// The link to download: the newest date; among links to that date, the first absolute one,
    /// else the first. Nil when there is none.
    public static func newest(_ links: [Link]) -> Link? {
        guard let date = links.map(\.name.date).max() else { return nil }
        let candidates = links.filter { $0.name.date == date }
        return candidates.first(where: \.isAbsolute) ?? candidates.first
    }

    // MARK: Bytes

    /// `\/`, `\u002F`, `&#x2F;`, `&#47;` become `/`, and `&amp;` becomes `&`, so escaped URLs in
    /// scripts and attributes read like plain ones.
    static func unescapeSlashes(_ b: [UInt8]) -> [UInt8] {
        let rules: [(from: [UInt8], to: UInt8)] = [
            (Array("\\/".utf8), 0x2F), (Array("\\u002F".utf8), 0x2F), (Array("\\u002f".utf8), 0x2F),
            (Array("&#x2F;".utf8), 0x2F), (Array("&#x2f;".utf8), 0x2F), (Array("&#47;".utf8), 0x2F),
            (Array("&amp;".utf8), 0x26),
        ]
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        outer: while i < b.count {
            if b[i] == UInt8(ascii: "\\") || b[i] == UInt8(ascii: "&") {
                for rule in rules where b[i...].starts(with: rule.from) {
                    out.append(rule.to)
                    i += rule.from.count
                    continue outer
                }
            }
            out.append(b[i])
            i += 1
        }
        return out
    }

    static func find(_ needle: [UInt8], in text: [UInt8], from: Int) -> Int? {
        guard needle.count <= text.count else { return nil }
        var i = from
        while i + needle.count <= text.count {
            if text[i] == needle[0], text[i ..< i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Bytes that may appear in a URL as pages write them: everything printable except white space,
    /// quotes, angle brackets, parentheses, backslash, backtick and `=` (which ends an attribute
    /// or `url=` prefix when walking backwards).
    static func isURLByte(_ b: UInt8) -> Bool {
        guard b > 0x20, b < 0x7F else { return false }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "="), UInt8(ascii: ","),
             UInt8(ascii: ";"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"):
            return false
        default:
            return true
        }
    }

    /// Bytes that would make the match part of a longer name (`ServiceTags_Public_20251028.json.bak`).
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "_")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    /// Offset of the first `http://` or `https://` (any case) in `run`.
    static func firstScheme(in run: [UInt8]) -> Int? {
        let lower = run.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let a = find(Array("https://".utf8), in: lower, from: 0)
        let b = find(Array("http://".utf8), in: lower, from: 0)
        switch (a, b) {
        case let (a?, b?): return min(a, b)
        case let (a?, nil): return a
        case let (nil, b?): return b
        default: return nil
        }
    }

    /// Whether the value starting at `start` follows `href=`, `src=` or `url=` (any case, with an
    /// optional quote and white space around the `=`).
    static func isAttributeValue(_ text: [UInt8], at start: Int) -> Bool {
        var i = start
        if i > 0, text[i - 1] == UInt8(ascii: "\"") || text[i - 1] == UInt8(ascii: "'") { i -= 1 }
        while i > 0, text[i - 1] == 0x20 { i -= 1 }
        guard i > 0, text[i - 1] == UInt8(ascii: "=") else { return false }
        i -= 1
        while i > 0, text[i - 1] == 0x20 { i -= 1 }
        let lower = text[..<i].suffix(4).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return lower.elementsEqual("href".utf8) || lower.suffix(3).elementsEqual("src".utf8)
            || lower.suffix(3).elementsEqual("url".utf8)
    }
}

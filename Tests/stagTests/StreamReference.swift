import Foundation
import ServiceTags
import ServiceTagsTestSupport

/// Slow, independent expectations for the streaming commands (`lookup -`, `grep`): lines split by
/// hand, addresses found and parsed by `SlowAddressExtractor` / `SlowAddressParser`, answers from
/// `ReferenceTagTable.linear`, and the output formats of `cli.md` written out with plain strings.
/// Nothing here calls the code under test.
enum StreamReference {
    /// Lines as the contract defines them: split at `\n`, one `\r` before it removed, no empty
    /// line after a final newline.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0.last == 0x0D ? $0.dropLast() : $0[...]) }
        if bytes.last == 0x0A || bytes.isEmpty { out.removeLast() }
        return out
    }

    /// RFC 8259 escaping as the tool writes it: quote, backslash, `\n \r \t`, other controls and DEL
    /// as `\u00xx`, U+2028/U+2029 escaped; invalid UTF-8 read as U+FFFD.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0 ..< 0x20, 0x7F, 0x2028, 0x2029: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func escaped(_ s: String) -> String { HumanTextReference.escape(Array(s.utf8)) }

    // MARK: lookup

    struct Lookup {
        var stdout = ""
        var invalid: [String] = []
        var matched = false
        var status: Int32 { !invalid.isEmpty ? 2 : matched ? 0 : 1 }
    }

    /// What `stag lookup [--json] [--tag T]... -` writes for `input` (stderr: the invalid inputs).
    static func lookup(_ input: [UInt8], tags: [ServiceTag], json: Bool, only: Set<String>? = nil) -> Lookup {
        var r = Lookup()
        let table = ReferenceTagTable(tags)
        for line in lines(input) {
            let text = trimmed(String(decoding: line, as: UTF8.self))
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard var answers = answers(text, tags, table) else {
                r.invalid.append(text)
                if json { r.stdout += #"{"address":\#(Self.json(text)),"error":\#(Self.json(message(text)))}"# + "\n" }
                continue
            }
            if let only { answers.removeAll { !only.contains(tags[$0.tag].name) } }
            if !answers.isEmpty { r.matched = true }
            if json {
                let sorted = answers.sorted { byteOrder(tags[$0.tag].name, tags[$1.tag].name) }
                let objects = sorted.map { a -> String in
                    let t = tags[a.tag]
                    let features = t.networkFeatures.map { "[" + $0.map(Self.json).joined(separator: ",") + "]" } ?? "null"
                    return #"{"name":\#(Self.json(t.name)),"prefix":"\#(a.prefix)","region":\#(Self.json(t.region)),"#
                        + #""systemService":\#(Self.json(t.systemService)),"networkFeatures":\#(features)}"#
                }
                r.stdout += #"{"address":\#(Self.json(text)),"tags":[\#(objects.joined(separator: ","))]}"# + "\n"
            } else {
                r.stdout += escaped(text) + "\n"
                if answers.isEmpty { r.stdout += "  (no service tag)\n"; continue }
                let sorted = answers.sorted {
                    $0.prefix.length != $1.prefix.length ? $0.prefix.length > $1.prefix.length : byteOrder(tags[$0.tag].name, tags[$1.tag].name)
                }
                let rows = sorted.map { a -> [String] in
                    let t = tags[a.tag]
                    return [escaped(t.name), a.prefix.description, escaped(t.region.isEmpty ? "-" : t.region),
                            escaped(t.systemService.isEmpty ? "-" : t.systemService)]
                }
                let widths = (0 ..< 3).map { c in rows.map { $0[c].count }.max()! }
                for row in rows {
                    r.stdout += "  " + (0 ..< 3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count + 2) }.joined() + row[3] + "\n"
                }
            }
        }
        return r
    }

    /// Surrounding Unicode white space removed (`cli.md`: "surrounding white space ignored").
    static func trimmed(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first ... last]))
    }

    /// The answers for an address or prefix, or nil when it is invalid.
    static func answers(_ text: String, _ tags: [ServiceTag], _ table: ReferenceTagTable) -> [ReferenceTagTable.Answer]? {
        if text.contains("/") {
            guard var p = SlowAddressParser.prefix(text) else { return nil }
            if case .v6(let q) = p, q.length >= 96, q.address.bits >> 32 == 0xFFFF {
                p = .v4(IPv4Prefix(masking: IPv4Address(bits: UInt32(truncatingIfNeeded: q.address.bits)), length: Int(q.length) - 96))
            }
            return ReferenceTagTable.linear(tags, containing: p)
        }
        guard let a = SlowAddressParser.address(text) else { return nil }
        return table.hashProbe(SlowAddressExtractor.unmapped(a))
    }

    /// The message of an invalid input: the library's String parser is the contract for messages.
    static func message(_ text: String) -> String {
        do {
            if text.contains("/") { _ = try IPPrefix(parsing: text) } else { _ = try IPAddress(parsing: text) }
            return "(accepted by the String parser)"
        } catch {
            return error.message
        }
    }

    static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    // MARK: grep

    /// One line's addresses inside the selected tags: their text and the selected tags containing
    /// each (sorted by name).
    static func grepMatches(_ line: [UInt8], tags: [ServiceTag], selected: Set<Int>) -> [(text: String, tags: [String])] {
        let decoded = String(decoding: line, as: UTF8.self)
        let bytes = Array(decoded.utf8)
        return SlowAddressExtractor.addresses(in: decoded).compactMap { found in
            let names = ReferenceTagTable.linear(tags, found.address).filter { selected.contains($0.tag) }.map { tags[$0.tag].name }
            return names.isEmpty ? nil : (String(decoding: bytes[found.range], as: UTF8.self), names.sorted(by: byteOrder))
        }
    }
}

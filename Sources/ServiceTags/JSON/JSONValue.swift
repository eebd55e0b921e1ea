/// A small JSON document held in memory, for files we write ourselves (the fetch manifest).
///
/// Not for ServiceTags files: those are streamed by the schema reader and never become a tree.
///
/// Invariants: `.number` holds a literal that matches the RFC 8259 number grammar (`init(parsing:)`
/// checks it; `init(integer:)` makes one), so no precision is lost between reading and writing.
/// Object members keep their order, and keys are unique (the parser rejects duplicates).
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, exactly as written (`-12`, `3.5e2`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An integer number.
    public init(integer: Int) { self = .number(String(integer)) }

    /// The value of member `key` when this is an object that has it.
    /// - Complexity: O(members): objects here are small.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: [Member]? { if case .object(let m) = self { m } else { nil } }
    public var isNull: Bool { self == .null }

    /// The number as an `Int` when it is written as an integer (no fraction, no exponent) that fits.
    public var intValue: Int? {
        guard case .number(let text) = self, !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") })
        else { return nil }
        return Int(text)
    }
}

extension JSONValue {
    /// The document as JSON text: compact when `indent` is nil, else pretty-printed with that many
    /// spaces per level. Object members keep their order; strings escape only what RFC 8259 requires
    /// (`"`, `\`, control characters), so non-ASCII text stays UTF-8.
    /// - Complexity: O(size of the document).
    public func serialized(indent: Int? = nil) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text): out += text
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, indent: indent, level: level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent: indent, level: level)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.newline(&out, indent: indent, level: level + 1)
                JSONValue.writeString(member.key, to: &out)
                out += indent == nil ? ":" : ": "
                member.value.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent: indent, level: level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, indent: Int?, level: Int) {
        guard let indent else { return }
        out += "\n" + String(repeating: " ", count: indent * level)
    }

    /// Appends `s` as a JSON string literal (RFC 8259 escaping: quote, backslash, control
    /// characters; also DEL, U+2028 and U+2029, as `ExportText.write(jsonString:)` does).
    /// Shared by every JSON the tool writes.
    public static func writeString(_ s: String, to out: inout String) {
        // Most strings (every tag name, region and feature) need no escape: copy them whole.
        // Conservative: 0xE2 may start U+2028 or U+2029, so a string holding it takes the loop.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

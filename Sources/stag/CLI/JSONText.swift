import ServiceTags

/// Minimal JSON text building for the CLI's machine output (escaping is the core's, RFC 8259).
enum JSONText {
    static func string(_ s: String) -> String {
        var out = ""
        JSONValue.writeString(s, to: &out)
        return out
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
    static func strings(_ items: [String]) -> String { array(items.map(string)) }
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
    static func number(_ n: Int?) -> String { n.map(String.init) ?? "null" }
    static func optionalStrings(_ items: [String]?) -> String { items.map(strings) ?? "null" }
}

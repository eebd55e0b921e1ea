/// Why a ServiceTags file could not be read, and exactly where.
///
/// Rendered as `file:line:column (byte offset): json.path (tag): message`, for example
/// `ServiceTags_Public.json:1234:17 (byte 40321): values[12].properties.addressPrefixes[3]
/// (AzureCloud): "10.0.0.1/8": host bits set; did you mean 10.0.0.0/8?`.
///
/// Invariants: `location` is `nil` only for `.openFailed`; it points at the offending byte for
/// syntax errors, at the first byte of the value for type, range, prefix and duplicate-name errors,
/// at the `{` of the object that lacks a key for `.missingKey`, and at the end of the input for
/// `.truncated`. For errors inside a value the reader skips (an unknown key's value) the path names
/// that key; the location is still the exact byte.
public struct ServiceTagsError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// The input ends before the document does.
        case truncated
        /// Not JSON: the scanner's reason (never `.unexpectedEnd`, which is `.truncated`, nor
        /// `.readFailed`, which is `.readFailed`).
        case syntax(JSONError.Reason)
        /// `open(2)` failed.
        case openFailed(errno: Int32)
        /// `read(2)` failed.
        case readFailed(errno: Int32)
        /// Valid JSON of the wrong shape, e.g. `addressPrefixes` holding an object.
        case wrongType(expected: JSONValueKind, found: JSONValueKind)
        /// An integer that does not fit in `Int`.
        case numberOutOfRange
        /// A required key is absent: `values`, `name`, `properties` or `addressPrefixes`.
        case missingKey(String)
        /// A key the schema knows appears twice in one object.
        case duplicateKey(String)
        /// A prefix string that `AddressParser.prefix` rejects.
        case invalidPrefix(AddressParseError)
        /// Two entries of `values` with the same `name`.
        case duplicateTagName(String)
        /// A `name` whose bytes differ from an earlier one's but which Swift's `String`, and so
        /// every name lookup of the tool, takes as equal: canonically equivalent Unicode
        /// ("\u{E9}" and "e\u{301}", or the Kelvin sign and "K"). Refused, or one tag would
        /// answer for both.
        case equivalentTagName(String)
        /// A tag name holding U+0000, which no legitimate name has and which C strings downstream
        /// (firewall tools) would cut short.
        case nulCharacter
    }

    // One reference: every throwing call in the reader reserves room for its error type, so a
    // small error keeps the hot loops' frames small. Errors are rare; the box costs nothing else.
    private final class Storage: Sendable {
        let reason: Reason
        let file: String
        let location: JSONLocation?
        let jsonPath: String
        let tagName: String?

        init(reason: Reason, file: String, location: JSONLocation?, jsonPath: String, tagName: String?) {
            self.reason = reason
            self.file = file
            self.location = location
            self.jsonPath = jsonPath
            self.tagName = tagName
        }
    }

    private let storage: Storage

    public var reason: Reason { storage.reason }
    /// The path given for the input (`-` or `<stdin>` for a pipe), as passed in.
    public var file: String { storage.file }
    public var location: JSONLocation? { storage.location }
    /// Where in the document, e.g. `values[12].properties.addressPrefixes[3]`; empty at the top.
    public var jsonPath: String { storage.jsonPath }
    /// The `name` of the tag being read, when it was read before the error.
    public var tagName: String? { storage.tagName }

    public init(_ reason: Reason, file: String, location: JSONLocation?, jsonPath: String = "", tagName: String? = nil) {
        storage = Storage(reason: reason, file: file, location: location, jsonPath: jsonPath, tagName: tagName)
    }

    public static func == (a: ServiceTagsError, b: ServiceTagsError) -> Bool {
        a.reason == b.reason && a.file == b.file && a.location == b.location && a.jsonPath == b.jsonPath
            && a.tagName == b.tagName
    }

    public var message: String {
        switch reason {
        case .truncated: "unexpected end of input (truncated file?)"
        case .syntax(let r): r.message
        case .openFailed(let e): "cannot open: \(SystemError.message(errno: e))"
        case .readFailed(let e): "read failed: \(SystemError.message(errno: e))"
        case .wrongType(let expected, let found): "expected \(expected), found \(found)"
        case .numberOutOfRange: "number out of range"
        case .missingKey(let key): "missing required key \"\(key)\""
        case .duplicateKey(let key): "duplicate key \"\(key)\""
        case .invalidPrefix(let e): "\"\(e.input)\": \(e.message)"
        case .duplicateTagName(let name): "duplicate tag name \"\(name)\""
        case .equivalentTagName(let name):
            "tag name \"\(name)\" is canonically equivalent to an earlier tag's name (the same text up to Unicode normalization)"
        case .nulCharacter: "NUL character (\\u0000) in string"
        }
    }

    public var description: String {
        var s = file
        if let l = location { s += ":\(l.line):\(l.column) (byte \(l.offset))" }
        if !jsonPath.isEmpty { s += ": " + jsonPath }
        if let tagName { s += " (\(tagName))" }
        return s + ": " + message
    }
}

/// One step of a JSON path.
enum JSONPathComponent {
    case key(String)
    case index(Int)

    /// Appends `.key`, `["odd key"]` or `[index]` to `path`.
    static func render(_ components: [JSONPathComponent]) -> String {
        var path = ""
        for c in components {
            switch c {
            case .index(let i):
                path += "[\(i)]"
            case .key(let k):
                let plain = !k.isEmpty && k.utf8.allSatisfy { c in
                    c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z"))
                        || (c >= 0x30 && c <= 0x39)
                }
                if plain {
                    path += path.isEmpty ? k : "." + k
                } else {
                    var escaped = ""
                    for ch in k.unicodeScalars {
                        switch ch {
                        case "\"": escaped += "\\\""
                        case "\\": escaped += "\\\\"
                        default: escaped += ch.value < 0x20 ? "\\u{\(String(ch.value, radix: 16))}" : String(ch)
                        }
                    }
                    path += "[\"\(escaped)\"]"
                }
            }
        }
        return path
    }
}

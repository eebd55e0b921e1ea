/// Writes a `ServiceTagsFile` as JSON bytes in exactly the layout of Microsoft's published files.
///
/// The layout, byte for byte (checked against the real files when they are present):
/// two-space indentation, `"key": value`, one array element per line, `[]` for an empty array,
/// `\n` line ends and no newline after the final `}`. Key order is `changeNumber`, `cloud`, `values`;
/// per tag `name`, `id`, `properties`; per properties `changeNumber`, `region`, `regionId`, `platform`,
/// `systemService`, `addressPrefixes`, `networkFeatures`. IPv4 prefixes are written before IPv6, each
/// family in the model's order (the generator keeps them sorted, as the real files are).
///
/// Strings are escaped per RFC 8259: `"` and `\` with a backslash, control characters as `\n`-style
/// short escapes or `\u00XX`; everything else, including non-ASCII, is written as UTF-8.
public struct ServiceTagsJSONWriter: Sendable {
    /// How absent optional metadata is written.
    public enum Layout: Sendable {
        /// Today's schema: a `nil` `networkFeatures` is `null`; a `nil` `regionId` or `changeNumber`
        /// is omitted.
        case current
        /// The 2019 schema: every `nil` key is omitted (no `regionId`, no `networkFeatures`).
        case omittingNils
    }

    public var layout: Layout

    public init(layout: Layout = .current) { self.layout = layout }

    /// The whole file as bytes.
    /// - Complexity: O(total size of the output).
    public func bytes(of file: ServiceTagsFile) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(200 + file.tags.reduce(0) { $0 + 300 + 28 * $1.prefixCount })
        write(file, to: &out)
        return out
    }

    /// The whole file as a `String` (for tests that compare text).
    public func string(of file: ServiceTagsFile) -> String { String(decoding: bytes(of: file), as: UTF8.self) }

    /// Appends the whole file to `out`.
    public func write(_ file: ServiceTagsFile, to out: inout [UInt8]) {
        var object = ObjectWriter(indent: 0)
        object.open(&out)
        if let n = file.changeNumber { object.key("changeNumber", &out); Self.appendInt(n, to: &out) }
        object.key("cloud", &out)
        Self.appendString(file.cloud, to: &out)
        object.key("values", &out)
        if file.tags.isEmpty {
            out.append(contentsOf: "[]".utf8)
        } else {
            out.append(contentsOf: "[".utf8)
            for (i, tag) in file.tags.enumerated() {
                out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
                write(tag, indent: 4, to: &out)
            }
            Self.newline(indent: 2, to: &out)
            out.append(contentsOf: "]".utf8)
        }
        object.close(&out)
    }

    /// Appends one element of `values`, starting with its indentation and ending at its `}`.
    public func write(_ tag: ServiceTag, indent: Int, to out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        var object = ObjectWriter(indent: indent)
        object.open(&out)
        object.key("name", &out)
        Self.appendString(tag.name, to: &out)
        object.key("id", &out)
        Self.appendString(tag.id, to: &out)
        object.key("properties", &out)
        var properties = ObjectWriter(indent: indent + 2)
        properties.open(&out)
        if let n = tag.changeNumber { properties.key("changeNumber", &out); Self.appendInt(n, to: &out) }
        properties.key("region", &out)
        Self.appendString(tag.region, to: &out)
        if let id = tag.regionId { properties.key("regionId", &out); Self.appendInt(id, to: &out) }
        properties.key("platform", &out)
        Self.appendString(tag.platform, to: &out)
        properties.key("systemService", &out)
        Self.appendString(tag.systemService, to: &out)
        properties.key("addressPrefixes", &out)
        var prefixes = ArrayWriter(indent: indent + 6)
        for p in tag.ipv4 { prefixes.element(&out); out.append(UInt8(ascii: "\"")); p.write(to: &out); out.append(UInt8(ascii: "\"")) }
        for p in tag.ipv6 { prefixes.element(&out); out.append(UInt8(ascii: "\"")); p.write(to: &out); out.append(UInt8(ascii: "\"")) }
        prefixes.close(&out)
        if let features = tag.networkFeatures {
            properties.key("networkFeatures", &out)
            var array = ArrayWriter(indent: indent + 6)
            for f in features { array.element(&out); Self.appendString(f, to: &out) }
            array.close(&out)
        } else if layout == .current {
            properties.key("networkFeatures", &out)
            out.append(contentsOf: "null".utf8)
        }
        properties.close(&out)
        object.close(&out)
    }

    /// Appends `s` as a JSON string literal, quotes included (RFC 8259 section 7).
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20: out.append(contentsOf: #"\u00"#.utf8); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendInt(_ n: Int, to out: inout [UInt8]) { out.append(contentsOf: String(n).utf8) }

    static func newline(indent: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    /// Writes `{`, then each `"key": ` on its own line with the separating commas, then `}`.
    struct ObjectWriter {
        let indent: Int
        var count = 0
        mutating func open(_ out: inout [UInt8]) { out.append(UInt8(ascii: "{")) }
        mutating func key(_ name: String, _ out: inout [UInt8]) {
            if count > 0 { out.append(UInt8(ascii: ",")) }
            count += 1
            ServiceTagsJSONWriter.newline(indent: indent + 2, to: &out)
            ServiceTagsJSONWriter.appendString(name, to: &out)
            out.append(contentsOf: ": ".utf8)
        }
        func close(_ out: inout [UInt8]) {
            ServiceTagsJSONWriter.newline(indent: indent, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `[`, each element on its own line at `indent`, then `]` (or `[]` when empty).
    struct ArrayWriter {
        let indent: Int
        var count = 0
        init(indent: Int) { self.indent = indent }
        mutating func element(_ out: inout [UInt8]) {
            out.append(contentsOf: (count == 0 ? "[" : ",").utf8)
            count += 1
            ServiceTagsJSONWriter.newline(indent: indent, to: &out)
        }
        func close(_ out: inout [UInt8]) {
            if count == 0 { out.append(contentsOf: "[]".utf8); return }
            ServiceTagsJSONWriter.newline(indent: indent - 2, to: &out)
            out.append(UInt8(ascii: "]"))
        }
    }
}

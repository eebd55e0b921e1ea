/// Reading a whole `JSONValue` tree with the streaming `JSONScanner`: one grammar for numbers,
/// escapes, surrogates, UTF-8, depth and the byte order mark, and one error type (`JSONError`),
/// whether the text is a ServiceTags file or the fetch manifest.
extension JSONValue {
    /// The default nesting limit; the manifest needs 3.
    public static let defaultMaxDepth = 64

    /// Parses a whole document strictly (RFC 8259): one value, then only whitespace; a leading
    /// UTF-8 byte order mark is skipped; object keys must be unique; strings and numbers are at
    /// most `JSONScanner.maxKeptLength` (4 KiB) of JSON text, like every value the scanner keeps.
    /// - Parameter maxDepth: containers that may be open at once; one more is `nestingTooDeep`
    ///   (recursion is bounded by it, so hostile nesting cannot exhaust the stack).
    /// - Throws: `JSONError` at the first problem (line:column and byte offset).
    /// - Complexity: O(n) in the input size.
    public init(parsing input: some Collection<UInt8>, maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONError) {
        let bytes = Array(input)
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> JSONValue in
            var scanner = JSONScanner(borrowing: buffer)
            try scanner.skipByteOrderMark()
            var scratch: [UInt8] = []
            let value = try JSONValue.value(&scanner, depth: 0, maxDepth: maxDepth, scratch: &scratch)
            if let c = try scanner.peekNonWhitespace() { throw scanner.error(.trailingGarbage(c), at: scanner.pos) }
            return value
        }
    }

    /// The value at the scanner's position, `depth` containers being open around it.
    private static func value(_ s: inout JSONScanner, depth: Int, maxDepth: Int,
                              scratch: inout [UInt8]) throws(JSONError) -> JSONValue {
        let c = try s.peekValueByte()
        switch c {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maxDepth else { throw s.error(.nestingTooDeep(limit: maxDepth), at: s.pos) }
            s.pos += 1
            if c == UInt8(ascii: "[") {
                var items: [JSONValue] = []
                while try s.nextElement(first: items.isEmpty) != nil {
                    items.append(try value(&s, depth: depth + 1, maxDepth: maxDepth, scratch: &scratch))
                }
                return .array(items)
            }
            var members: [Member] = []
            var keys = Set<String>()
            while let token = try s.nextKey(first: members.isEmpty) {
                let key = s.string(token, scratch: &scratch)
                guard keys.insert(key).inserted else { throw s.error(.duplicateKey(key), at: token.start - 1) }
                try s.consumeColon()
                members.append(Member(key, try value(&s, depth: depth + 1, maxDepth: maxDepth, scratch: &scratch)))
            }
            return .object(members)
        case UInt8(ascii: "\""):
            let token = try s.scanString()
            return .string(s.string(token, scratch: &scratch))
        case UInt8(ascii: "-"), 0x30...0x39:
            let token = try s.scanNumber()
            return .number(String(decoding: UnsafeBufferPointer(start: s.base + token.start, count: token.end - token.start),
                                  as: UTF8.self))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            switch try s.scanLiteral() {
            case .true: return .bool(true)
            case .false: return .bool(false)
            case .null: return .null
            }
        default:
            throw s.error(.unexpectedCharacter(c, expected: .value), at: s.pos)
        }
    }
}

/// A strict RFC 8259 parser from UTF-8 bytes to a `JSONValue` tree, for small documents.
///
/// Strict means: one value and nothing after it but white space (space, tab, LF, CR); no comments,
/// trailing commas, single quotes, leading zeros, `+`, `NaN` or bare control characters; escapes
/// limited to the RFC's list, `\u` surrogates properly paired; strings valid UTF-8; object keys
/// unique. A leading UTF-8 byte order mark is skipped (RFC 8259 section 8.1 lets parsers ignore it).
/// Nesting is capped so hostile input cannot exhaust the stack.
public struct JSONValueParser {
    /// The default nesting limit; the manifest needs 3.
    public static let defaultMaxDepth = 64

    private let bytes: [UInt8]
    private let maxDepth: Int
    private var i = 0

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses a whole document.
    /// - Throws: `JSONValueError` with the byte offset, line and column of the first problem.
    /// - Complexity: O(n) in the input size.
    public static func parse(_ input: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONValueError) -> JSONValue {
        var parser = JSONValueParser(bytes: Array(input), maxDepth: maxDepth)
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.i = 3 }
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.i < parser.bytes.count { throw parser.error(.trailingContent) }
        return value
    }

    // MARK: Structure

    private mutating func value(depth: Int) throws(JSONValueError) -> JSONValue {
        guard i < bytes.count else { throw error(.unexpectedEnd) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case let b: throw error(.unexpectedByte(b, expected: "a value"))
        }
    }

    private mutating func object(depth: Int) throws(JSONValueError) -> JSONValue {
        if depth > maxDepth { throw error(.tooDeep(limit: maxDepth)) }
        i += 1  // {
        var members: [JSONValue.Member] = []
        var keys = Set<String>()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { i += 1; return .object([]) }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error(.unexpectedByte(bytes[i], expected: "a string key")) }
            let keyOffset = i
            let key = try string()
            guard keys.insert(key).inserted else { throw error(.duplicateKey(key), at: keyOffset) }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw error(.unexpectedByte(bytes[i], expected: "':' after an object key")) }
            i += 1
            skipWhitespace()
            members.append(JSONValue.Member(key, try value(depth: depth)))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): i += 1; skipWhitespace()
            case UInt8(ascii: "}"): i += 1; return .object(members)
            case let b: throw error(.unexpectedByte(b, expected: "',' or '}' after an object member"))
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONValueError) -> JSONValue {
        if depth > maxDepth { throw error(.tooDeep(limit: maxDepth)) }
        i += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { i += 1; return .array([]) }
        while true {
            items.append(try value(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): i += 1; skipWhitespace()
            case UInt8(ascii: "]"): i += 1; return .array(items)
            case let b: throw error(.unexpectedByte(b, expected: "',' or ']' after an array element"))
            }
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONValueError) {
        let start = i
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard i < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[i] == expected else { throw error(.unexpectedByte(bytes[i], expected: "'\(word)'"), at: i == start ? start : i) }
            i += 1
        }
    }

    // MARK: Scalars

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as its text.
    private mutating func number() throws(JSONValueError) -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw error(.invalidNumber, at: start) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw error(.invalidNumber, at: start) }  // leading zero
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw error(.invalidNumber, at: start) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw error(.invalidNumber, at: start) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// A string starting at the opening quote; unescaped runs are copied as validated UTF-8.
    private mutating func string() throws(JSONValueError) -> String {
        i += 1  // "
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < bytes.count else { throw error(.unexpectedEnd) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<i])
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw error(.invalidUTF8, at: runStart) }
                return s
            }
            if b < 0x20 { throw error(.controlCharacterInString) }
            if b != UInt8(ascii: "\\") { i += 1; continue }
            out.append(contentsOf: bytes[runStart..<i])
            try escape(into: &out)
            runStart = i
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(JSONValueError) {
        let start = i
        i += 1  // backslash
        guard i < bytes.count else { throw error(.unexpectedEnd) }
        let simple: UInt8? = switch bytes[i] {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple { out.append(simple); i += 1; return }
        guard bytes[i] == UInt8(ascii: "u") else { throw error(.invalidEscape, at: start) }
        i += 1
        var scalar = try hex4()
        if (0xDC00...0xDFFF).contains(scalar) { throw error(.invalidSurrogate, at: start) }
        if (0xD800...0xDBFF).contains(scalar) {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw error(.invalidSurrogate, at: start)
            }
            i += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error(.invalidSurrogate, at: start) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    private mutating func hex4() throws(JSONValueError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < bytes.count else { throw error(.unexpectedEnd) }
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape)
            }
            v = v << 4 | UInt32(digit)
            i += 1
        }
        return v
    }

    // MARK: Helpers

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func peek() throws(JSONValueError) -> UInt8 {
        guard i < bytes.count else { throw error(.unexpectedEnd) }
        return bytes[i]
    }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    /// The error at `offset` (default: the current position), with its line and column; computed
    /// only here because errors are rare.
    private func error(_ reason: JSONValueError.Reason, at offset: Int? = nil) -> JSONValueError {
        let at = min(offset ?? i, bytes.count)
        var line = 1, lineStart = 0
        for k in 0..<at where bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
        return JSONValueError(reason: reason, offset: at, line: line, column: at - lineStart + 1)
    }
}

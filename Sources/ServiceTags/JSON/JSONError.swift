/// Where something is in a JSON byte stream.
///
/// Invariants: `offset` counts bytes from the start of the input (a UTF-8 BOM included); `line` and
/// `column` are 1-based; `column` counts bytes from the start of the line (the BOM is not counted on
/// line 1), which is what editors show for the ASCII these files are made of. Only `\n` ends a line,
/// so CRLF files number lines like LF files.
public struct JSONLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `line:column (byte offset)`.
    public var description: String { "\(line):\(column) (byte \(offset))" }
}

/// A JSON syntax or input error found by `JSONScanner`: what went wrong and where.
///
/// The scanner knows nothing of any schema; `ServiceTagsError` wraps these with a JSON path.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// The input ended inside a value (truncated file or pipe).
        case unexpectedEnd
        /// A byte that cannot start or continue what the grammar expects here.
        case unexpectedCharacter(UInt8, expected: JSONExpectation)
        /// `,` directly followed by `]` or `}`.
        case trailingComma
        /// A bare word that is not `true`, `false` or `null`.
        case invalidLiteral
        /// Not `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (RFC 8259 section 6).
        case invalidNumber
        /// A raw byte below 0x20 inside a string (RFC 8259 section 7 requires it escaped).
        case controlCharacterInString(UInt8)
        /// A backslash followed by something other than `"\/bfnrt` or `u`.
        case invalidEscape(UInt8)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\uD800`-`\uDFFF` escape that is not a high surrogate followed by a low one.
        case loneSurrogate
        /// Bytes that are not well-formed UTF-8 (RFC 3629) inside a string.
        case invalidUTF8
        /// More nested arrays and objects than `limit`.
        case nestingTooDeep(limit: Int)
        /// Anything but whitespace after the document's closing bracket.
        case trailingGarbage(UInt8)
        /// `read(2)` failed with this `errno`.
        case readFailed(errno: Int32)
        /// A string or number the caller keeps is longer than `limit` bytes (its raw JSON text,
        /// quotes excluded): no legitimate name, region or prefix comes near it, and refusing it
        /// keeps the reader's memory bounded by the data it keeps, not by the input.
        case tooLong(JSONValueKind, limit: Int)
        /// A key repeated in one object (for documents read whole, like the fetch manifest).
        case duplicateKey(String)
    }

    public var reason: Reason
    public var location: JSONLocation

    public init(_ reason: Reason, at location: JSONLocation) {
        self.reason = reason
        self.location = location
    }

    public var message: String { reason.message }

    public var description: String { "\(location): \(message)" }

    static func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : "\\x" + hex(c)
    }

    static func describe(byte c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? "character '\(Character(Unicode.Scalar(c)))'" : "byte 0x\(hex(c))"
    }

    static func hex(_ c: UInt8) -> String {
        let s = String(c, radix: 16, uppercase: true)
        return c < 0x10 ? "0" + s : s
    }
}

extension JSONError.Reason {
    /// What went wrong, without the location.
    public var message: String {
        switch self {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedCharacter(let c, let expected): "unexpected \(JSONError.describe(byte: c)), expected \(expected)"
        case .trailingComma: "trailing comma before the closing bracket"
        case .invalidLiteral: "invalid literal (expected true, false or null)"
        case .invalidNumber: "invalid number"
        case .controlCharacterInString(let c): "unescaped control character \(JSONError.describe(byte: c)) in string"
        case .invalidEscape(let c): "invalid escape sequence '\\\(JSONError.printable(c))'"
        case .invalidUnicodeEscape: "\\u must be followed by four hex digits"
        case .loneSurrogate: "unpaired UTF-16 surrogate in \\u escape"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .nestingTooDeep(let limit): "nesting deeper than \(limit) levels"
        case .trailingGarbage(let c): "unexpected \(JSONError.describe(byte: c)) after the end of the document"
        case .readFailed(let e): "read failed: \(SystemError.message(errno: e))"
        case .tooLong(let kind, let limit): "\(kind.noun) longer than \(limit) bytes"
        case .duplicateKey(let key): "duplicate key \"\(key)\""
        }
    }
}

/// What the scanner was looking for when it met an unexpected byte.
public enum JSONExpectation: Equatable, Hashable, Sendable, CustomStringConvertible {
    case value
    case key
    case keyOrObjectEnd
    case colon
    case commaOrObjectEnd
    case commaOrArrayEnd
    case kind(JSONValueKind)

    public var description: String {
        switch self {
        case .value: "a value"
        case .key: "a string key"
        case .keyOrObjectEnd: "a string key or '}'"
        case .colon: "':'"
        case .commaOrObjectEnd: "',' or '}'"
        case .commaOrArrayEnd: "',' or ']'"
        case .kind(let kind): kind.description
        }
    }
}

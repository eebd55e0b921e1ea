/// Why a text is not a JSON document `JSONValueParser` accepts, and where.
///
/// Rendered as `JSON error at line 3, column 7 (byte 41): expected ',' or '}' after an object member`.
public struct JSONValueError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case unexpectedEnd
        /// A byte that cannot start or continue the value being read.
        case unexpectedByte(UInt8, expected: String)
        case invalidNumber
        case invalidEscape
        /// A `\u` escape of a lone or misordered UTF-16 surrogate.
        case invalidSurrogate
        /// An unescaped byte below 0x20 inside a string.
        case controlCharacterInString
        case invalidUTF8
        case duplicateKey(String)
        /// Arrays and objects nested deeper than the parser's limit.
        case tooDeep(limit: Int)
        /// Non-white-space after the document.
        case trailingContent
    }

    public let reason: Reason
    /// Where: the same location type the streaming scanner reports.
    public let location: JSONLocation
    /// Byte offset of the problem from the start of the input.
    public var offset: Int { location.offset }
    /// 1-based line and column (in bytes) of `offset`.
    public var line: Int { location.line }
    public var column: Int { location.column }

    public init(reason: Reason, offset: Int, line: Int, column: Int) {
        self.reason = reason
        location = JSONLocation(offset: offset, line: line, column: column)
    }

    public var message: String {
        switch reason {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let b, let expected):
            (b >= 0x20 && b < 0x7F ? "unexpected '\(Character(Unicode.Scalar(b)))'" : "unexpected byte 0x\(String(b, radix: 16))")
                + (expected.isEmpty ? "" : "; expected \(expected)")
        case .invalidNumber: "invalid number"
        case .invalidEscape: "invalid escape sequence in string"
        case .invalidSurrogate: "\\u escape of an unpaired UTF-16 surrogate"
        case .controlCharacterInString: "unescaped control character in string"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .duplicateKey(let key): "duplicate key \"\(key)\""
        case .tooDeep(let limit): "nesting deeper than \(limit) levels"
        case .trailingContent: "unexpected content after the document"
        }
    }

    public var description: String { "JSON error at line \(line), column \(column) (byte \(offset)): \(message)" }
}

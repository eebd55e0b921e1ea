/// The kind of a JSON value, as told by its first byte; used in type-mismatch messages.
public enum JSONValueKind: Equatable, Hashable, Sendable, CustomStringConvertible {
    case object, array, string, number, integer, boolean, null

    /// The kind of value that starts with `c`, or `nil` if no value starts with it.
    static func of(firstByte c: UInt8) -> JSONValueKind? {
        switch c {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "-"), 0x30...0x39: .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .boolean
        case UInt8(ascii: "n"): .null
        default: nil
        }
    }

    /// The kind's name without an article: "string", "number".
    var noun: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .integer: "integer"
        case .boolean: "boolean"
        case .null: "null"
        }
    }

    public var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .null: "null"
        }
    }
}

extension JSONScanner {
    /// Moves to the next member of an object whose `{` is consumed: consumes the `,` (unless
    /// `first`) and the key, leaving `pos` just after the key's closing quote (call `consumeColon()`
    /// next). Stopping there keeps the key's range and location exact for the caller.
    /// - Returns: the key, or `nil` after consuming the closing `}`.
    /// - Throws: `trailingComma` (at the `}`), `unexpectedCharacter`, string errors, `unexpectedEnd`.
    @inline(__always)
    mutating func nextKey(first: Bool) throws(JSONError) -> JSONStringToken? {
        guard try nextKeyQuote(first: first) else { return nil }
        return try scanString()
    }

    /// `nextKey(first:)` up to the key's opening quote, leaving `pos` there (for a key that is
    /// skipped rather than kept).
    /// - Returns: `false` after consuming the closing `}`.
    @inline(__always)
    mutating func nextKeyQuote(first: Bool) throws(JSONError) -> Bool {
        var c = try peekValueByte()
        if c == UInt8(ascii: "}") {
            pos &+= 1
            return false
        }
        if !first {
            guard c == UInt8(ascii: ",") else { throw error(.unexpectedCharacter(c, expected: .commaOrObjectEnd), at: pos) }
            pos &+= 1
            c = try peekValueByte()
            if c == UInt8(ascii: "}") { throw error(.trailingComma, at: pos) }
        }
        guard c == UInt8(ascii: "\"") else {
            throw error(.unexpectedCharacter(c, expected: first ? .keyOrObjectEnd : .key), at: pos)
        }
        return true
    }

    /// Consumes the `:` after a key (and the whitespace before it).
    @inline(__always)
    mutating func consumeColon() throws(JSONError) {
        let c = try peekValueByte()
        guard c == UInt8(ascii: ":") else { throw error(.unexpectedCharacter(c, expected: .colon), at: pos) }
        pos &+= 1
    }

    /// Moves to the next element of an array whose `[` is consumed: consumes the `,` (unless
    /// `first`) and whitespace.
    /// - Returns: the element's first byte (at `pos`, not consumed), or `nil` after consuming `]`.
    /// - Throws: `trailingComma` (at the `]`), `unexpectedCharacter`, `unexpectedEnd`.
    @inline(__always)
    mutating func nextElement(first: Bool) throws(JSONError) -> UInt8? {
        var c = try peekValueByte()
        if c == UInt8(ascii: "]") {
            pos &+= 1
            return nil
        }
        if !first {
            guard c == UInt8(ascii: ",") else { throw error(.unexpectedCharacter(c, expected: .commaOrArrayEnd), at: pos) }
            pos &+= 1
            c = try peekValueByte()
            if c == UInt8(ascii: "]") { throw error(.trailingComma, at: pos) }
        }
        return c
    }

    /// The common step between string elements, `,` whitespace `"`, done within the buffer with
    /// no refill: moves `pos` to the `"` and returns `true`, or changes nothing and returns
    /// `false` (then `nextElement` does the general work).
    @inline(__always)
    mutating func skipCommaToQuoteInBuffer() -> Bool {
        let b = base
        let e = end
        var i = pos
        guard i < e, b[i] == UInt8(ascii: ",") else { return false }
        i &+= 1
        var lines = line
        var newLineStart = lineStart
        while i < e {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                pos = i
                line = lines
                lineStart = newLineStart
                return true
            }
            if c == 0x20 {
                i = JSONScanner.skipSpaces(b, i, e)
            } else {
                // A mask test, not a compare chain: LLVM turns the chain into a jump table whose
                // indirect branch mispredicts on every space/newline alternation.
                let bit: UInt32 = 1 &<< UInt32(c & 31)
                guard c < 0x20, bit & JSONScanner.whitespaceBelowSpace != 0 else { return false }
                i &+= 1
                if c == 0x0A {
                    lines &+= 1
                    newLineStart = i
                }
            }
        }
        return false
    }

    /// Checks and skips one value of any shape, `depth` being the number of containers already open
    /// around it.
    ///
    /// Iterative, with one bit per open container (object or array) in a fixed 512-bit stack, so
    /// hostile nesting costs neither heap nor call stack; strings (keys included) and numbers are
    /// skipped without being kept (`skipString`, `skipNumber`), so the buffer stays one chunk
    /// however long the value is.
    /// - Throws: any syntax error inside the value; `nestingTooDeep` at the bracket that would open
    ///   container number `maxDepth + 1`.
    /// - Complexity: O(length of the value).
    mutating func skipValue(depth: Int) throws(JSONError) {
        var isObject = InlineArray<8, UInt64>(repeating: 0)  // bit n: container n + 1 is an object
        var open = 0
        var next = try peekValueByte()
        while true {
            // `next` is the first byte of a value to skip.
            switch next {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth + open < JSONScanner.maxDepth else {
                    throw error(.nestingTooDeep(limit: JSONScanner.maxDepth), at: pos)
                }
                let object = next == UInt8(ascii: "{")
                pos += 1
                if object { isObject[open >> 6] |= 1 << UInt64(open & 63) } else { isObject[open >> 6] &= ~(1 << UInt64(open & 63)) }
                open += 1
                if object {
                    if try nextKeyQuote(first: true) {
                        try skipString()
                        try consumeColon()
                        next = try peekValueByte()
                        continue
                    }
                } else if let c = try nextElement(first: true) {
                    next = c
                    continue
                }
                open -= 1
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "-"), 0x30...0x39:
                try skipNumber()
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                _ = try scanLiteral()
            default:
                throw error(.unexpectedCharacter(next, expected: .value), at: pos)
            }
            // A value ended: continue its container, closing finished ones.
            while true {
                if open == 0 { return }
                let object = isObject[(open - 1) >> 6] & (1 << UInt64((open - 1) & 63)) != 0
                if object {
                    if try nextKeyQuote(first: false) {
                        try skipString()
                        try consumeColon()
                        next = try peekValueByte()
                        break
                    }
                } else if let c = try nextElement(first: false) {
                    next = c
                    break
                }
                open -= 1
            }
        }
    }
}

/// A scanned number: `base[start..<end]`, valid RFC 8259 number syntax.
struct JSONNumberToken {
    var start: Int
    var end: Int
    /// No fraction and no exponent.
    var isInteger: Bool
}

/// `true`, `false` or `null`.
enum JSONLiteral {
    case `true`, `false`, null
}

/// What a decimal integer text turned out to be.
enum JSONIntegerValue: Equatable {
    case value(Int)
    case notAnInteger
    case outOfRange
}

extension JSONScanner {
    /// Scans the number starting at `pos` (a `-` or digit), leaving `pos` after it.
    ///
    /// Collects the run of number bytes first (`0-9 + - . e E`), refilling as needed, then checks
    /// the grammar on the run, so `01`, `1.`, `-`, `1e+` and `1.2.3` are one `invalidNumber` error at
    /// the number's first byte.
    /// - Complexity: O(length).
    mutating func scanNumber() throws(JSONError) -> JSONNumberToken {
        mark = pos
        var i = pos
        scan: while true {
            while i < end {
                switch base[i] {
                case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                     UInt8(ascii: "e"), UInt8(ascii: "E"):
                    i += 1
                default:
                    break scan
                }
            }
            pos = i
            if i &- mark > JSONScanner.maxKeptLength { throw tooLong(.number) }
            if try !refill() { break }
            i = pos
        }
        let start = mark
        if i &- start > JSONScanner.maxKeptLength { throw tooLong(.number) }
        mark = -1
        pos = i
        guard let isInteger = JSONScanner.numberGrammar(base, start, i) else {
            // `1e` or `-` running into the end of the input is a cut-off number, not a bad one
            // (the loop only stops at `end` at EOF); `01` is bad wherever it ends.
            if i == end && JSONScanner.isNumberPrefix(base, start, i) { throw error(.unexpectedEnd, at: end) }
            throw error(.invalidNumber, at: start)
        }
        return JSONNumberToken(start: start, end: i, isInteger: isInteger)
    }

    /// Checks and steps over the number at `pos` (a `-` or digit), keeping nothing: the grammar
    /// is followed byte by byte, so a number of any length costs one buffer.
    /// - Throws: what `scanNumber()` throws for the same text, at the same place; never `tooLong`.
    /// - Complexity: O(length).
    mutating func skipNumber() throws(JSONError) {
        mark = -1
        let start = location(at: pos)
        // RFC 8259 section 6 as states: 0 start, 1 after `-`, 2 after a leading `0`, 3 integer
        // digits, 4 after `.`, 5 fraction digits, 6 after `e`, 7 after its sign, 8 exponent
        // digits, 9 invalid (the rest of the run is still crossed, as `scanNumber` does).
        var state: UInt8 = 0
        var i = pos
        while true {
            let b = base
            let e = end
            while i < e {
                let c = b[i]
                let digit = c &- 0x30 < 10
                switch c {
                case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                     UInt8(ascii: "e"), UInt8(ascii: "E"):
                    state = JSONScanner.numberStep(state, c, digit: digit)
                    i &+= 1
                    continue
                default:
                    break
                }
                break
            }
            pos = i
            if i < e { break }
            if try !refill() { break }
            i = pos
        }
        switch state {
        case 2, 3, 5, 8: return
        default:
            if state != 9 && pos == end && sawEndOfInput { throw error(.unexpectedEnd, at: end) }
            throw JSONError(.invalidNumber, at: start)
        }
    }

    /// Whether `bytes[start..<end]` (number bytes) can begin a valid number: `skipNumber`'s
    /// automaton does not reach its invalid state on it.
    static func isNumberPrefix(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var state: UInt8 = 0
        for i in start..<end { state = numberStep(state, bytes[i], digit: bytes[i] &- 0x30 < 10) }
        return state != 9
    }

    /// One step of `skipNumber`'s automaton.
    @inline(__always)
    static func numberStep(_ state: UInt8, _ c: UInt8, digit: Bool) -> UInt8 {
        switch state {
        case 0: c == UInt8(ascii: "-") ? 1 : c == 0x30 ? 2 : digit ? 3 : 9
        case 1: c == 0x30 ? 2 : digit ? 3 : 9
        case 2: c == UInt8(ascii: ".") ? 4 : c | 0x20 == UInt8(ascii: "e") ? 6 : 9
        case 3: digit ? 3 : c == UInt8(ascii: ".") ? 4 : c | 0x20 == UInt8(ascii: "e") ? 6 : 9
        case 4: digit ? 5 : 9
        case 5: digit ? 5 : c | 0x20 == UInt8(ascii: "e") ? 6 : 9
        case 6: c == UInt8(ascii: "+") || c == UInt8(ascii: "-") ? 7 : digit ? 8 : 9
        case 7, 8: digit ? 8 : 9
        default: 9
        }
    }

    /// The common case of `scanNumber()` + `integerValue(_:)`: a non-negative integer of 1...18
    /// digits at `pos` (no leading zero, so at most 10^18 - 1: no overflow), followed within the
    /// buffer by a byte that cannot continue a number. Leaves `pos` after it.
    /// - Returns: the value, or `nil` (nothing consumed) for anything else, which the general path
    ///   then reads and, if it is malformed, reports.
    @inline(__always)
    mutating func smallNonNegativeInteger() -> Int? {
        let b = base
        var i = pos
        var value = 0
        while i < end, i &- pos < 19 {
            let d = b[i] &- 0x30
            if d >= 10 { break }
            value = value &* 10 &+ Int(d)
            i &+= 1
        }
        let count = i &- pos
        guard count > 0, count < 19, i < end, count == 1 || b[pos] != 0x30 else { return nil }
        switch b[i] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): return nil
        default:
            pos = i
            return value
        }
    }

    /// Whether `bytes[start..<end]` is `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`:
    /// `nil` if not, else whether it is an integer (no fraction or exponent).
    static func numberGrammar(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        var i = start
        func digits() -> Int {
            let from = i
            while i < end, bytes[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        if i < end, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end else { return nil }
        if bytes[i] == 0x30 {
            i += 1
        } else if digits() == 0 {
            return nil
        }
        var isInteger = true
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return nil }
            isInteger = false
        }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
            isInteger = false
        }
        return i == end ? isInteger : nil
    }

    /// The value of an integer number token; never traps, whatever its length.
    func integerValue(_ token: JSONNumberToken) -> JSONIntegerValue {
        guard token.isInteger else { return .notAnInteger }
        let negative = base[token.start] == UInt8(ascii: "-")
        return JSONScanner.decimalValue(base, negative ? token.start + 1 : token.start, token.end, negative: negative)
    }

    /// The value of the ASCII digits `bytes[start..<end]` (at least one, nothing else), negated when
    /// `negative` (so `Int.min` fits).
    static func decimalValue(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, negative: Bool) -> JSONIntegerValue {
        guard start < end else { return .notAnInteger }
        var value = 0
        for i in start..<end {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return .notAnInteger }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int(d)) : times10.addingReportingOverflow(Int(d))
            if o1 || o2 { return .outOfRange }
            value = next
        }
        return .value(value)
    }

    /// Scans `true`, `false` or `null` at `pos`, leaving `pos` after it.
    /// - Throws: `invalidLiteral` at its first byte when the word differs, `unexpectedEnd` when the
    ///   input ends inside a word that matched so far.
    mutating func scanLiteral() throws(JSONError) -> JSONLiteral {
        let literal: JSONLiteral
        let word: StaticString
        switch base[pos] {
        case UInt8(ascii: "t"): (literal, word) = (.true, "true")
        case UInt8(ascii: "f"): (literal, word) = (.false, "false")
        case UInt8(ascii: "n"): (literal, word) = (.null, "null")
        default: throw error(.invalidLiteral, at: pos)
        }
        let letters = word.utf8Start
        for k in 1..<word.utf8CodeUnitCount {
            guard try ensure(k + 1) else { throw error(.unexpectedEnd, at: end) }
            guard base[pos + k] == letters[k] else { throw error(.invalidLiteral, at: pos) }
        }
        pos += word.utf8CodeUnitCount
        return literal
    }
}

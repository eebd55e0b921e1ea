import Glibc

/// A scanned string: its content is `base[start..<end]`, still escaped when `hasEscapes`.
///
/// Invariant: the content is valid JSON string content (escapes, surrogate pairs and UTF-8 checked),
/// so `unescape` cannot fail. The range is valid until the scanner next refills.
struct JSONStringToken {
    var start: Int
    var end: Int
    var hasEscapes: Bool
    @inline(__always) var count: Int { end &- start }
}

extension JSONScanner {
    /// Scans the string whose opening quote is at `pos`, leaving `pos` after the closing quote.
    ///
    /// Plain bytes are crossed eight at a time: `specialBytes` flags `"`, `\`, control bytes and
    /// non-ASCII in a word, and only those leave the fast loop.
    /// - Throws: `JSONError` for control characters, bad escapes, lone surrogates, invalid UTF-8
    ///   (each at the offending byte or escape) and `unexpectedEnd`.
    /// - Complexity: O(length).
    @inline(__always)
    mutating func scanString() throws(JSONError) -> JSONStringToken {
        assert(base[pos] == UInt8(ascii: "\""))
        mark = pos
        var i = pos &+ 1
        var hasEscapes = false
        while true {
            let b = base
            let e = end
            while e &- i >= 8 {
                let special = JSONScanner.specialBytes(UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self))
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            while i < e {
                let c = b[i]
                if c == 0x22 {
                    let start = mark &+ 1
                    guard i &- start <= JSONScanner.maxKeptLength else { throw tooLong(.string) }
                    mark = -1
                    pos = i &+ 1
                    return JSONStringToken(start: start, end: i, hasEscapes: hasEscapes)
                }
                if c == 0x5C || c &- 0x20 >= 0x60 { break }  // backslash, < 0x20 or >= 0x80
                i &+= 1
            }
            pos = i
            // Checked before a refill too, so the buffer never grows for an over-long token.
            if i &- mark > JSONScanner.maxKeptLength &+ 1 { throw tooLong(.string) }
            if i < e {
                let c = b[i]
                if c == 0x5C {
                    hasEscapes = true
                    try scanEscape()
                } else if c < 0x20 {
                    throw error(.controlCharacterInString(c), at: i)
                } else {
                    try scanUTF8Sequence()
                }
            } else if try !refill() {
                throw error(.unexpectedEnd, at: end)
            }
            i = pos
        }
    }

    /// `tooLong` at the token's first byte (`mark`, on the line of `pos`: strings and numbers hold
    /// no raw newline).
    @inline(never)
    func tooLong(_ kind: JSONValueKind) -> JSONError {
        error(.tooLong(kind, limit: JSONScanner.maxKeptLength), at: mark)
    }

    /// Checks and steps over the string whose opening quote is at `pos`, keeping nothing: bytes
    /// already checked are given up at every refill, so a string of any length costs one buffer.
    /// - Throws: as `scanString()`, at the same places; never `tooLong`.
    /// - Complexity: O(length).
    mutating func skipString() throws(JSONError) {
        assert(base[pos] == UInt8(ascii: "\""))
        mark = -1
        var i = pos &+ 1
        while true {
            let b = base
            let e = end
            while e &- i >= 8 {
                let special = JSONScanner.specialBytes(UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self))
                if special != 0 {
                    i &+= special.trailingZeroBitCount &>> 3
                    break
                }
                i &+= 8
            }
            while i < e {
                let c = b[i]
                if c == 0x22 {
                    pos = i &+ 1
                    return
                }
                if c == 0x5C || c &- 0x20 >= 0x60 { break }
                i &+= 1
            }
            pos = i
            if i < e {
                let c = b[i]
                if c == 0x5C {
                    try scanEscape()
                } else if c < 0x20 {
                    throw error(.controlCharacterInString(c), at: i)
                } else {
                    try scanUTF8Sequence()
                }
            } else if try !refill() {
                throw error(.unexpectedEnd, at: end)
            }
            i = pos
        }
    }

    /// The high bit of byte k is set in the result if byte k of `word` (little-endian) is `"`, `\`,
    /// below 0x20 or above 0x7F, and possibly for bytes after the first such one (borrows only
    /// propagate upwards from a byte that is itself flagged), so the lowest set bit is exact.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & high
    }

    /// Validates the escape sequence at `pos` (a backslash) and steps over it.
    @inline(never)
    mutating func scanEscape() throws(JSONError) {
        guard try ensure(2) else { throw error(.unexpectedEnd, at: end) }
        let c = base[pos + 1]
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            pos += 2
        case UInt8(ascii: "u"):
            let unit = try hex4(after: 0)
            if unit & 0xFC00 == 0xDC00 { throw error(.loneSurrogate, at: pos) }
            if unit & 0xFC00 != 0xD800 {
                pos += 6
                return
            }
            // A high surrogate must be followed by an escaped low one (RFC 8259 section 7).
            guard try ensure(7) else { throw error(.unexpectedEnd, at: end) }
            guard base[pos + 6] == UInt8(ascii: "\\") else { throw error(.loneSurrogate, at: pos) }
            guard try ensure(8) else { throw error(.unexpectedEnd, at: end) }
            guard base[pos + 7] == UInt8(ascii: "u") else { throw error(.loneSurrogate, at: pos) }
            let low = try hex4(after: 6)
            guard low & 0xFC00 == 0xDC00 else { throw error(.loneSurrogate, at: pos) }
            pos += 12
        default:
            throw error(.invalidEscape(c), at: pos)
        }
    }

    /// The four hex digits of the `\u` escape at `pos + offset`, which must be available up to `\u`.
    /// Indexes from `pos` on every step: `ensure` may refill and shift the buffer.
    private mutating func hex4(after offset: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for k in 2..<6 {
            guard try ensure(offset + k + 1) else { throw error(.unexpectedEnd, at: end) }
            guard let d = JSONScanner.hexValue(base[pos + offset + k]) else {
                throw error(.invalidUnicodeEscape, at: pos + offset)
            }
            value = value << 4 | UInt32(d)
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c &- 0x30
        case 0x41...0x46: c &- 0x41 &+ 10
        case 0x61...0x66: c &- 0x61 &+ 10
        default: nil
        }
    }

    /// Validates the multi-byte UTF-8 sequence starting at `pos` (RFC 3629 section 4: no overlongs,
    /// no surrogates, nothing above U+10FFFF) and steps over it.
    @inline(never)
    mutating func scanUTF8Sequence() throws(JSONError) {
        let lead = base[pos]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; low = 0xA0
        case 0xED: count = 2; high = 0x9F
        case 0xE1...0xEF: count = 2
        case 0xF0: count = 3; low = 0x90
        case 0xF4: count = 3; high = 0x8F
        case 0xF1...0xF3: count = 3
        default: throw error(.invalidUTF8, at: pos)
        }
        for k in 1...count {
            guard try ensure(k + 1) else { throw error(.unexpectedEnd, at: end) }
            let c = base[pos + k]
            if c < low || c > high { throw error(.invalidUTF8, at: pos) }
            low = 0x80
            high = 0xBF
        }
        pos += count + 1
    }

    /// Appends the decoded UTF-8 content of `token` to `out`.
    /// - Complexity: O(token.count).
    func unescape(_ token: JSONStringToken, into out: inout [UInt8]) {
        var i = token.start
        while i < token.end {
            let c = base[i]
            guard c == 0x5C else {
                out.append(c)
                i += 1
                continue
            }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4Unchecked(at: i)
                i += 4
                if scalar & 0xFC00 == 0xD800 {
                    let low = hex4Unchecked(at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                JSONScanner.appendUTF8(scalar, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    private func hex4Unchecked(at i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | UInt32(JSONScanner.hexValue(base[i + k]) ?? 0) }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The decoded content of `token` as a `String`.
    /// - Complexity: O(token.count); no intermediate copy when there are no escapes.
    func string(_ token: JSONStringToken, scratch: inout [UInt8]) -> String {
        if !token.hasEscapes {
            return String(decoding: UnsafeBufferPointer(start: base + token.start, count: token.count), as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        unescape(token, into: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }
}

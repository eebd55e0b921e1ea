/// A one-pass parser for the prefix forms that fill real ServiceTags files, run on the scanner's
/// buffer before the general path.
///
/// It reads `a.b.c.d/n"` or `h:h::h/n"` (hex groups, at most one `::`, no embedded IPv4) and the
/// closing quote in a single pass with no bounds-checked `Span`, no separate string scan and no
/// second pass over the bytes. It is only a shortcut: it accepts a strict subset of what
/// `AddressParser.prefix` accepts, with the same result, and returns `nil` for everything else
/// (escapes, non-canonical or malformed text, embedded IPv4, a buffer that ends early), which the
/// reader then sends through `scanString` and `AddressParser.prefix` for the verdict and the
/// error message. `InPlacePrefixParserTests` checks the subset-and-same-result property against
/// `AddressParser` on every real prefix and on random near-miss strings.
enum InPlacePrefixParser {
    /// Parses `bytes[start...]` up to and including a closing `"` before `end`, appending the
    /// prefix to `v4` or `v6`.
    /// - Returns: the index just after the quote, or -1 (nothing appended) to defer to the general
    ///   path.
    /// - Complexity: O(length of the prefix), one pass.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                      into v4: inout PrefixBuffer<IPv4Prefix>, _ v6: inout PrefixBuffer<IPv6Prefix>) -> Int {
        // `ipv4` reads 24 bytes and `ipv6` at most 49 before they give up or find the quote;
        // requiring 64 lets them read without checking `end` (the general path takes the tail).
        guard end &- start >= 64 else { return -1 }
        if let (p, after) = ipv4(bytes, start) {
            v4.append(p)
            return after
        }
        if let (p, after) = ipv6(bytes, start) {
            v6.append(p)
            return after
        }
        return -1
    }

    /// `d.d.d.d/n"` with decimal fields 0...255 without leading zeros, n in 0...32 without leading
    /// zero, no host bits. Reads 24 bytes.
    ///
    /// Branch-light: digit counts vary from prefix to prefix, so a digit-by-digit loop mispredicts
    /// several times per prefix. Instead one SWAR pass marks the non-digit bytes of 24 bytes, the
    /// separators are found by `trailingZeroBitCount`, and each field is computed for all three
    /// possible lengths and selected. Worked example, `20.62.130.0/24"`: non-digits at 2, 5, 9, 11,
    /// 14, so the field lengths are 2, 2, 3, 1 and the length field is 2.
    @inline(__always)
    static func ipv4(_ b: UnsafePointer<UInt8>, _ start: Int) -> (IPv4Prefix, Int)? {
        let p = UnsafeRawPointer(b + start)
        let low = nonDigits(p.loadUnaligned(as: UInt64.self))
        let mid = nonDigits(p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        var first16 = UInt128(mid) << 64 | UInt128(low)
        // The first four non-digits must lie within 16 bytes ("255.255.255.255/" is 16).
        var sep = (0, 0, 0, 0)
        for k in 0..<4 {
            guard first16 != 0 else { return nil }
            let at = first16.trailingZeroBitCount &>> 3
            first16 &= first16 &- 1
            switch k {
            case 0: sep.0 = at
            case 1: sep.1 = at
            case 2: sep.2 = at
            default: sep.3 = at
            }
        }
        let quote: Int
        if first16 != 0 {
            quote = first16.trailingZeroBitCount &>> 3
        } else {
            let high = nonDigits(p.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            guard high != 0 else { return nil }
            quote = 16 &+ high.trailingZeroBitCount &>> 3
        }
        let dot = UInt8(ascii: ".")
        guard b[start &+ sep.0] == dot, b[start &+ sep.1] == dot, b[start &+ sep.2] == dot,
              b[start &+ sep.3] == UInt8(ascii: "/"), b[start &+ quote] == UInt8(ascii: "\"") else { return nil }
        guard let f0 = field(b, start, sep.0),
              let f1 = field(b, start &+ sep.0 &+ 1, sep.1 &- sep.0 &- 1),
              let f2 = field(b, start &+ sep.1 &+ 1, sep.2 &- sep.1 &- 1),
              let f3 = field(b, start &+ sep.2 &+ 1, sep.3 &- sep.2 &- 1),
              let length = field(b, start &+ sep.3 &+ 1, quote &- sep.3 &- 1),
              f0 | f1 | f2 | f3 <= 255, length <= 32 else { return nil }
        let bits = f0 &<< 24 | f1 &<< 16 | f2 &<< 8 | f3
        guard let prefix = IPv4Prefix(address: IPv4Address(bits: bits), length: Int(length)) else { return nil }
        return (prefix, start &+ quote &+ 1)
    }

    /// The high bit of each byte of `word` that is not an ASCII digit. No carries cross bytes:
    /// `(t & 0x7F) + 0x76` is at most 0xF5.
    @inline(__always)
    static func nonDigits(_ word: UInt64) -> UInt64 {
        let t = word ^ 0x3030_3030_3030_3030
        return (((t & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080
    }

    /// The decimal field of `count` digits (already known to be digits) at `b[at...]`: 1...3
    /// digits without a leading zero, else `nil`. All three candidates are computed and one is
    /// selected, so the digit count costs no branch.
    @inline(__always)
    static func field(_ b: UnsafePointer<UInt8>, _ at: Int, _ count: Int) -> UInt32? {
        let d0 = UInt32(b[at] &- 0x30)
        let d1 = UInt32(b[at &+ 1] &- 0x30)
        let d2 = UInt32(b[at &+ 2] &- 0x30)
        guard count &- 1 < 3, count == 1 || d0 != 0 else { return nil }
        let two = d0 &* 10 &+ d1
        return count == 1 ? d0 : count == 2 ? two : two &* 10 &+ d2
    }

    /// Hex groups of 1...4 digits separated by `:`, at most one `::` standing for at least one
    /// zero group, then `/n"` with n in 0...128 without leading zero, no host bits.
    /// Reads at most 49 bytes: a `:` is followed only while within 39 address bytes, so the last
    /// group ends by byte 44 and its `/nnn"` by byte 48.
    @inline(__always)
    static func ipv6(_ b: UnsafePointer<UInt8>, _ start: Int) -> (IPv6Prefix, Int)? {
        let colon = UInt8(ascii: ":")
        var i = start
        var value: UInt128 = 0  // groups so far, the last in the low 16 bits
        var groups = 0
        var ellipsis = -1       // groups before "::", or -1
        if b[i] == colon {
            guard b[i &+ 1] == colon else { return nil }
            ellipsis = 0
            i &+= 2
        }
        // After a "::" the address may end at once ("::/0", "2001:db8::/32").
        if ellipsis == 0, b[i] == UInt8(ascii: "/") {
        } else {
            while true {
                let groupStart = i
                var group: UInt32 = 0
                while i &- groupStart < 4, let nibble = hexDigit(b[i]) {
                    group = group &<< 4 | UInt32(nibble)
                    i &+= 1
                }
                guard i != groupStart, groups < 8 else { return nil }
                value = value &<< 16 | UInt128(group)
                groups &+= 1
                let c = b[i]
                if c == UInt8(ascii: "/") { break }
                guard c == colon, i &- start < 39 else { return nil }
                i &+= 1
                if b[i] == colon {
                    guard ellipsis < 0 else { return nil }
                    ellipsis = groups
                    i &+= 1
                    if b[i] == UInt8(ascii: "/") { break }
                }
            }
        }
        if ellipsis < 0 {
            guard groups == 8 else { return nil }
        } else {
            guard groups < 8 else { return nil }
            let tail = groups &- ellipsis
            let tailMask: UInt128 = tail == 0 ? 0 : ~0 &>> UInt128(128 &- 16 &* tail)
            let head = tail == 0 ? value : value &>> UInt128(16 &* tail)
            let shift = 16 &* (8 &- ellipsis)
            value = (shift == 128 ? 0 : head &<< UInt128(shift)) | (value & tailMask)
        }
        guard let (length, after) = prefixLength(b, i &+ 1, max: 128) else { return nil }
        guard let p = IPv6Prefix(address: IPv6Address(bits: value), length: length) else { return nil }
        return (p, after)
    }

    /// Decimal `n"` at `i`: 1...3 digits without leading zero, at most `max`.
    @inline(__always)
    static func prefixLength(_ b: UnsafePointer<UInt8>, _ start: Int, max: Int) -> (Int, Int)? {
        var i = start
        var n = 0
        while i &- start < 3 {
            let d = b[i] &- 0x30
            if d >= 10 { break }
            n = n &* 10 &+ Int(d)
            i &+= 1
        }
        guard i != start, b[i] == UInt8(ascii: "\""), n <= max else { return nil }
        if i &- start > 1, b[start] == 0x30 { return nil }
        return (n, i &+ 1)
    }

    @inline(__always)
    static func hexDigit(_ c: UInt8) -> UInt8? {
        let d = c &- 0x30
        if d < 10 { return d }
        let h = (c | 0x20) &- 0x61
        return h < 6 ? h &+ 10 : nil
    }
}

/// A one-pass parser for the prefix forms that fill real ServiceTags files, run on the scanner's
/// buffer before the general path.
///
/// It reads `a.b.c.d/n"` or `h:h::h/n"` (hex groups, at most one `::`, no embedded IPv4) and the
/// closing quote in a single pass with no bounds-checked `Span`, no separate string scan and no
/// second pass over the bytes. It is only a shortcut: it accepts a strict subset of what
/// `AddressParser.prefix` accepts, with the same result, and returns `nil` for everything else
/// (escapes, non-canonical or malformed text, embedded IPv4, a buffer that ends early), which the
/// reader then sends through `scanString` and `AddressParser.prefix` for the verdict and the
/// error message. `ReaderPrefixFastPathTests` checks the subset-and-same-result property against
/// `AddressParser` on every real prefix and on random near-miss strings.
///
/// Branchy on purpose. Each element's start depends on where the previous one ends: with branches
/// the CPU predicts the field lengths and runs ahead, and the real files, sorted by address,
/// repeat length patterns enough for that to pay. Word-at-a-time (branch-free) variants put all
/// their arithmetic on that path and measured 40-70% slower here.
enum InPlacePrefixParser {
    /// Parses `bytes[start...]` up to and including a closing `"` before `end`, appending the
    /// prefix to `v4` or `v6`.
    /// - Returns: the index just after the quote, or -1 (nothing appended) to defer to the general
    ///   path.
    /// - Complexity: O(length of the prefix), one pass.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                      into v4: inout PrefixBuffer<IPv4Prefix>, _ v6: inout PrefixBuffer<IPv6Prefix>) -> Int {
        // `ipv6` reads at most 49 bytes from `start` before it gives up or finds the quote; requiring
        // 64 lets the loops below read without checking `end` (the general path takes the tail).
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
    /// zero, no host bits. Reads at most 19 bytes.
    @inline(__always)
    static func ipv4(_ b: UnsafePointer<UInt8>, _ start: Int) -> (IPv4Prefix, Int)? {
        var i = start
        var bits: UInt32 = 0
        var field = 0
        while true {
            let d0 = UInt32(b[i] &- 0x30)
            guard d0 < 10 else { return nil }
            var value = d0
            let d1 = UInt32(b[i &+ 1] &- 0x30)
            if d1 < 10 {
                guard d0 != 0 else { return nil }
                value = value &* 10 &+ d1
                let d2 = UInt32(b[i &+ 2] &- 0x30)
                if d2 < 10 {
                    value = value &* 10 &+ d2
                    guard value <= 255 else { return nil }
                    i &+= 3
                } else {
                    i &+= 2
                }
            } else {
                i &+= 1
            }
            bits = bits &<< 8 | value
            field &+= 1
            if field == 4 { break }
            guard b[i] == UInt8(ascii: ".") else { return nil }
            i &+= 1
        }
        guard b[i] == UInt8(ascii: "/") else { return nil }
        guard let (length, after) = prefixLength(b, i &+ 1, max: 32) else { return nil }
        guard let p = IPv4Prefix(address: IPv4Address(bits: bits), length: length) else { return nil }
        return (p, after)
    }

    /// Hex groups of 1...4 digits separated by `:`, at most one `::` standing for at least one
    /// zero group, then `/n"` with n in 0...128 without leading zero, no host bits.
    /// Reads at most 49 bytes: a `:` is followed only while within 39 address bytes, so the last
    /// group ends by byte 44 and its `/nnn"` by byte 48.
    ///
    /// The groups before a `::` are set aside as they stand, and moved up once at the end, so
    /// there is one 128-bit shift per address rather than a shift-and-mask rebuild.
    @inline(__always)
    static func ipv6(_ b: UnsafePointer<UInt8>, _ start: Int) -> (IPv6Prefix, Int)? {
        let colon = UInt8(ascii: ":")
        var i = start
        var value: UInt128 = 0  // the groups since the start or the "::", the last in the low 16 bits
        var head: UInt128 = 0   // the groups before "::"
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
                    head = value
                    value = 0
                    i &+= 1
                    if b[i] == UInt8(ascii: "/") { break }
                }
            }
        }
        if ellipsis < 0 {
            guard groups == 8 else { return nil }
        } else {
            // "::" stands for at least one zero group: the head moves up past the other
            // 8 - ellipsis groups. (`&<<` by 128 shifts by 0, but the head is then empty.)
            guard groups < 8 else { return nil }
            value |= head &<< UInt128(16 &* (8 &- ellipsis))
        }
        guard let (length, after) = prefixLength(b, i &+ 1, max: 128) else { return nil }
        guard let p = IPv6Prefix(address: IPv6Address(bits: value), length: length) else { return nil }
        return (p, after)
    }

    /// Decimal `n"` at `i`: 1...2 digits (1...3 when `max` is 128) without leading zero, at most
    /// `max`.
    ///
    /// Unrolled rather than a loop: real lengths have two digits (IPv4) or two or three (IPv6), so
    /// these branches predict well, while a loop's exit mispredicts. The quote's position decides
    /// where the next element starts, so this is on the path every element waits for.
    @inline(__always)
    static func prefixLength(_ b: UnsafePointer<UInt8>, _ i: Int, max: Int) -> (Int, Int)? {
        let n0 = Int(b[i] &- 0x30)
        guard n0 < 10 else { return nil }
        var length = n0
        var quote = i &+ 1
        let n1 = Int(b[i &+ 1] &- 0x30)
        if n1 < 10 {
            guard n0 != 0 else { return nil }
            length = n0 &* 10 &+ n1
            quote = i &+ 2
            let n2 = Int(b[i &+ 2] &- 0x30)
            if max >= 100, n2 < 10 {
                length = length &* 10 &+ n2
                quote = i &+ 3
            }
        }
        guard length <= max, b[quote] == UInt8(ascii: "\"") else { return nil }
        return (length, quote &+ 1)
    }

    /// The value of hex digit `c`, by table: a digit-or-letter test is a branch that mispredicts
    /// on every switch between digits and letters, which real IPv6 groups do at random.
    @inline(__always)
    static func hexDigit(_ c: UInt8) -> UInt8? {
        let value = hexValues.utf8Start[Int(c)]
        return value < 16 ? value : nil
    }

    /// Byte → hex digit value (`0`-`9`, `A`-`F`, `a`-`f`), or 16 for any other byte; one row per
    /// 16 byte values. A `StaticString` is constant data: a global array would cost a lazy
    /// initialisation check, a retain and a bounds check per use.
    static let hexValues: StaticString = """
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{9}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{A}\u{B}\u{C}\u{D}\u{E}\u{F}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{A}\u{B}\u{C}\u{D}\u{E}\u{F}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\
\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}\u{10}
"""
}

/// The byte-level engine behind `AddressExtractor` and `stag grep`: finds the addresses in a line
/// with exactly the extractor's rules (see `AddressExtractor`), at close to memory speed.
///
/// Why it is fast: every address holds a `.` (IPv4) or a `:` (IPv6), so a run of address
/// characters without either can never yield one. The scan therefore looks only for those two
/// bytes, 8 at a time (SWAR: a word with no `.` or `:` is skipped in a handful of instructions),
/// and only around a hit widens to the maximal run of address characters and parses it strictly.
/// Words, hex ids and plain numbers are never parsed.
///
/// Invariant: each byte is examined at most three times (word scan, widening left, widening
/// right), so a line of n bytes costs O(n) whatever its shape (issue 8 item 7).
public enum AddressScanner {
    /// One address found: the bytes `start ..< end` of the line are its text as written (inside
    /// brackets or before `:port` when so written); `address` is unmapped (IPv4-mapped IPv6 → IPv4).
    public struct Found: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var address: IPAddress
        @inlinable public init(start: Int, end: Int, address: IPAddress) {
            self.start = start
            self.end = end
            self.address = address
        }
    }

    /// Calls `body` for each address in `bytes[from ..< to]`, in order; `body` returns false to stop.
    /// - Complexity: O(to - from) plus a strict parse of each run that holds a `.` or `:`.
    @inlinable
    public static func scan(_ bytes: Span<UInt8>, from: Int, to: Int, _ body: (Found) -> Bool) {
        var i = from
        while let found = next(bytes, &i, to) {
            if !body(found) { return }
        }
    }

    /// The next address in `bytes[i ..< to]`, advancing `i` past it; nil (and `i == to`) at the end.
    /// A loop over `next` needs no closure (a closure capturing the caller's state costs an
    /// exclusivity check per access in the hot loop).
    @inlinable
    public static func next(_ bytes: Span<UInt8>, _ i: inout Int, _ to: Int) -> Found? {
        // Checked once here: every read below stays in `i ..< to`, so it goes unchecked.
        precondition(i >= 0 && to <= bytes.count, "AddressScanner: range outside the bytes")
        while i < to {
            let p = nextSeparator(bytes, i, to)
            if p >= to { i = to; return nil }
            // Widen to the maximal run. Left of `i` lies the end of the previous run (a non-address
            // byte) or the start of the range, so the widening never re-reads an earlier run.
            var s = p
            while s > i && isAddressByte(bytes[unchecked: s &- 1]) { s &-= 1 }
            // Most runs in logs are IPv4 addresses: digits and dots only. Such a run is read in
            // one pass that counts its dots and parses it as it goes; a run that is exactly four
            // octets (1-3 digits, no leading zero, at most 255) is an address as `AddressParser`
            // would read it. Other digit-and-dot runs are decided as `candidate` decides them
            // (there is no colon to trim or count), without the general widening and counting.
            var e = s, dots = 0, digits = 0, clean = true
            var octet: UInt32 = 0, value: UInt32 = 0
            while e < to {
                let b = bytes[unchecked: e]
                let d = b &- 0x30
                if d < 10 {
                    clean = clean && digits < 3 && !(digits == 1 && octet == 0)
                    octet = octet &* 10 &+ UInt32(d)
                    digits &+= 1
                } else if b == 0x2E {
                    clean = clean && digits > 0 && octet <= 255
                    value = value &<< 8 | (octet & 0xFF)
                    octet = 0
                    digits = 0
                    dots &+= 1
                } else {
                    break
                }
                e &+= 1
            }
            if e == to || !isAddressByte(bytes[unchecked: e]) {
                i = e
                if clean && dots == 3 && digits > 0 && octet <= 255 {
                    return Found(start: s, end: e, address: .v4(IPv4Address(bits: value &<< 8 | octet)))
                }
                while e > s && bytes[unchecked: e &- 1] == 0x2E { e &-= 1; dots &-= 1 }
                if dots == 3 && e &- s >= 2, let bits = try? AddressParser.ipv4(bytes, s, e) {
                    return Found(start: s, end: e, address: .v4(IPv4Address(bits: bits)))
                }
                continue
            }
            // Anything else (a colon, a hex letter): the whole run, then `candidate`. The bytes
            // before `e` are address bytes, so widening on from there finds the same end.
            while e < to && isAddressByte(bytes[unchecked: e]) { e &+= 1 }
            i = e
            if let found = candidate(bytes, s, e) { return found }
        }
        return nil
    }

    /// The addresses in `bytes[from ..< to]`.
    public static func addresses(in bytes: Span<UInt8>, from: Int, to: Int) -> [Found] {
        var out: [Found] = []
        scan(bytes, from: from, to: to) { out.append($0); return true }
        return out
    }

    /// The first index `>= i` holding `.` or `:`, or `to`.
    @inlinable @inline(__always)
    static func nextSeparator(_ bytes: Span<UInt8>, _ start: Int, _ to: Int) -> Int {
        var i = start
        let raw = bytes.bytes
        // Bit 7 of each byte of `hasZero(x)` is set for a zero byte of x; a borrow can only flag
        // bytes above a true zero, so the lowest flagged byte is always exact.
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let dots: UInt64 = 0x2E2E_2E2E_2E2E_2E2E, colons: UInt64 = 0x3A3A_3A3A_3A3A_3A3A
        while i &+ 8 <= to {
            let w = raw.unsafeLoadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
            let d = w ^ dots, c = w ^ colons
            let hits = ((d &- ones) & ~d | (c &- ones) & ~c) & highs
            if hits != 0 { return i &+ hits.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < to {
            let b = bytes[unchecked: i]
            if b == 0x2E || b == 0x3A { return i }
            i &+= 1
        }
        return to
    }

    /// `0-9 a-f A-F . :`, the characters addresses are written with.
    ///
    /// A bit test in one of two 64-bit sets (bytes below and above 0x40), with no branch: the
    /// widening loops call it on every byte around a `.` or `:`, and a chain of comparisons there
    /// was a branch the core mispredicted on mixed text.
    @inlinable @inline(__always)
    public static func isAddressByte(_ c: UInt8) -> Bool {
        // Low set: "." (0x2E), "0"..."9" (0x30...0x39), ":" (0x3A). High set: "A"..."F" (0x41...0x46),
        // "a"..."f" (0x61...0x66), as bits c - 0x40.
        let low: UInt64 = 0x07FF_4000_0000_0000, high: UInt64 = 0x0000_007E_0000_007E
        let set = c & 0x40 == 0 ? low : high
        return c < 0x80 && (set &>> UInt64(c & 63)) & 1 != 0
    }

    /// The address in the run `bytes[start ..< end]`: punctuation trimmed, then the whole run, then
    /// the IPv4 part of `a.b.c.d:port`.
    /// - Precondition: `0 <= start <= end <= bytes.count` (checked by `next`; reads are unchecked).
    @inlinable
    static func candidate(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> Found? {
        let colon = UInt8(ascii: ":")
        var s = start, e = end
        while e > s && bytes[unchecked: e &- 1] == 0x2E { e &-= 1 }
        // A single colon at either end is punctuation ("from:10.0.0.1", "host 10.0.0.1:"); "::" is not.
        if e &- s >= 2 && bytes[unchecked: s] == colon && bytes[unchecked: s &+ 1] != colon { s &+= 1 }
        if e &- s >= 2 && bytes[unchecked: e &- 1] == colon && bytes[unchecked: e &- 2] != colon { e &-= 1 }
        guard e &- s >= 2 else { return nil }
        // Count before parsing: most runs in logs (times `12:34:56`, MACs, versions `1.2.3`) cannot
        // be an address by their counts alone, and rejecting them here skips a throwing parse.
        var lastColon = -1, colons = 0, dots = 0
        var doubleColon = false
        var k = s
        while k < e {
            let b = bytes[unchecked: k]
            if b == colon {
                if lastColon == k &- 1 { doubleColon = true }
                lastColon = k
                colons &+= 1
            } else if b == 0x2E {
                dots &+= 1
            }
            k &+= 1
        }
        if lastColon < 0 {
            // IPv4: exactly four parts.
            guard dots == 3, let bits = try? AddressParser.ipv4(bytes, s, e) else { return nil }
            return Found(start: s, end: e, address: .v4(IPv4Address(bits: bits)))
        }
        // IPv6: eight groups (7 colons), six and an IPv4 tail (6 colons, 3 dots), or a `::` (at most 8 colons).
        if colons <= 8 && (doubleColon || colons == 7 || (colons == 6 && dots == 3)),
           let bits = try? AddressParser.ipv6(bytes, s, e) {
            return Found(start: s, end: e, address: IPAddress.v6(IPv6Address(bits: bits)).unmapped)
        }
        // a.b.c.d:port: exactly one colon, and the part before it an IPv4 address.
        guard colons == 1 && dots >= 3 else { return nil }
        guard let bits = try? AddressParser.ipv4(bytes, s, lastColon) else { return nil }
        return Found(start: s, end: lastColon, address: .v4(IPv4Address(bits: bits)))
    }
}

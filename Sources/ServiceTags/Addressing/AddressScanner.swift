/// The byte-level engine behind `AddressExtractor` and `stag grep`: finds the addresses in a line
/// with exactly the extractor's rules (see `AddressExtractor`), at close to memory speed.
///
/// Why it is fast: every address holds a `.` (IPv4) or a `:` (IPv6), so a run of address
/// characters without either can never yield one. The scan classifies 32 bytes at a time into bit
/// masks (address bytes, dots, colons, hex letters; `ByteWindow`), finds the next `.` or `:` with
/// one count of trailing zeros, widens to the maximal run of address characters with two more,
/// and counts the run's dots and colons with popcounts. Only runs whose counts allow an address
/// are parsed: a dotted quad directly, anything else strictly by `candidate`. Words, hex ids,
/// plain numbers, times and MAC addresses are never parsed.
///
/// Invariant: a window of 32 bytes is classified at most once per run found in it, and each run
/// is parsed at most once, so a line of n bytes costs O(n) whatever its shape (issue 8 item 7).
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
        var i = from, cursor = Cursor()
        while let found = cursor.next(bytes, &i, to) {
            if !body(found) { return }
        }
    }

    /// The next address in `bytes[i ..< to]`, advancing `i` past it; nil (and `i == to`) at the end.
    /// A loop over `next` needs no closure (a closure capturing the caller's state costs an
    /// exclusivity check per access in the hot loop). A loop over many ranges of the same bytes
    /// (the lines of a block) keeps a `Cursor` instead, which classifies each byte once.
    @inlinable
    public static func next(_ bytes: Span<UInt8>, _ i: inout Int, _ to: Int) -> Found? {
        var cursor = Cursor()
        return cursor.next(bytes, &i, to)
    }

    /// `AddressScanner.next` over ranges of one span in increasing order (the lines of a block),
    /// keeping the last 32 bytes classified from one call to the next.
    public struct Cursor {
        @usableFromInline var window = ByteWindow()

        @inlinable public init() {}

        /// The next address in `bytes[i ..< to]`, advancing `i` past it; nil (and `i == to`) at the end.
        /// - Precondition: every call passes the same `bytes`, and `i` never moves backwards.
        /// - Complexity: O(to - i) plus a parse of each run whose counts allow an address.
        @inlinable
        public mutating func next(_ bytes: Span<UInt8>, _ i: inout Int, _ to: Int) -> Found? {
            // Checked once here: every read below stays in `i ..< to`, so it goes unchecked.
            precondition(i >= 0 && to <= bytes.count, "AddressScanner: range outside the bytes")
            while i < to {
                guard let run = window.nextRun(bytes, from: i, to: to) else { i = to; return nil }
                i = run.end
                if run.letters == 0 && run.colons == 0 {
                    // Digits and dots: trailing dots are punctuation; a dotted quad or nothing.
                    var e = run.end, dots = run.dots
                    while e > run.start && bytes[unchecked: e &- 1] == 0x2E { e &-= 1; dots &-= 1 }
                    guard dots == 3 else { continue }
                    // Where the run lies in one window, its dots' positions are known; else read it byte by byte.
                    let dotBits = run.dotBits & ByteWindow.lowBits(e &- run.dotsBase)
                    let quad = dotBits.nonzeroBitCount == 3
                        ? AddressScanner.dottedQuad(bytes, run.start, e, dots: dotBits, base: run.dotsBase)
                        : AddressScanner.dottedQuad(bytes, run.start, e)
                    if let bits = quad {
                        return Found(start: run.start, end: e, address: .v4(IPv4Address(bits: bits)))
                    }
                    continue
                }
                if let found = AddressScanner.address(inRunWithColons: run, bytes) { return found }
            }
            return nil
        }
    }

    /// The address in a run that holds a colon and whose counts allow one (see `Cursor.next`):
    /// a.b.c.d:port and plain IPv6 decided on the run's counts, anything else by `candidate`.
    /// Out of line: the loop in `Cursor.next` stays small enough to keep `nextRun` inlined.
    @inlinable @inline(never)
    static func address(inRunWithColons run: Run, _ bytes: Span<UInt8>) -> Found? {
        // a.b.c.d:port, the commonest run with a colon in logs: with the colon inside the run
        // (not trimmed), no letters and three dots before it, this is what `candidate`
        // decides (one colon cannot be IPv6), without its counting and throwing parse.
        if run.colons == 1 && run.letters == 0 && run.firstColon > run.start && run.firstColon < run.end &- 1
            && bytes[unchecked: run.end &- 1] != 0x2E {
            let dotBits = run.dotBits & ByteWindow.lowBits(run.firstColon &- run.dotsBase)
            guard dotBits.nonzeroBitCount == 3,
                  let bits = AddressScanner.dottedQuad(bytes, run.start, run.firstColon, dots: dotBits, base: run.dotsBase)
            else { return nil }
            return Found(start: run.start, end: run.firstColon, address: .v4(IPv4Address(bits: bits)))
        }
        // `candidate` trims at most two colons and some dots, then needs a `::`, 6 to 8 colons
        // (IPv6), or three dots and at most one colon (a.b.c.d[:port]). Times (`12:34:56`), MAC
        // addresses and ports (`]:443`) fail on their counts alone.
        if run.colons > 10 || (run.colons <= 5 && !run.doubleColon && run.dots < 3) { return nil }
        // Two colons or more, none of them trimmed (no single colon at either end, no trailing
        // dot): IPv6 or nothing, decided on the run's counts as `candidate` would count them.
        let colon = UInt8(ascii: ":")
        if run.colons >= 2 && run.end &- run.start >= 3 && bytes[unchecked: run.end &- 1] != 0x2E
            && (bytes[unchecked: run.start] != colon || bytes[unchecked: run.start &+ 1] == colon)
            && (bytes[unchecked: run.end &- 1] != colon || bytes[unchecked: run.end &- 2] == colon) {
            guard run.colons <= 8 && (run.doubleColon || run.colons == 7 || (run.colons == 6 && run.dots == 3)),
                  let bits = try? AddressParser.ipv6(bytes, run.start, run.end) else { return nil }
            return Found(start: run.start, end: run.end, address: IPAddress.v6(IPv6Address(bits: bits)).unmapped)
        }
        return candidate(bytes, run.start, run.end)
    }

    /// `dottedQuad(bytes, start, end)` given where its three dots are (bits of `dots`, from `base`):
    /// each octet read by its length, with no loop over its digits.
    @inlinable @inline(__always)
    static func dottedQuad(_ bytes: Span<UInt8>, _ start: Int, _ end: Int, dots: UInt32, base: Int) -> UInt32? {
        var rest = dots
        let d1 = base &+ rest.trailingZeroBitCount
        rest &= rest &- 1
        let d2 = base &+ rest.trailingZeroBitCount
        rest &= rest &- 1
        let d3 = base &+ rest.trailingZeroBitCount
        guard let a = octet(bytes, start, d1), let b = octet(bytes, d1 &+ 1, d2),
              let c = octet(bytes, d2 &+ 1, d3), let d = octet(bytes, d3 &+ 1, end) else { return nil }
        return a &<< 24 | b &<< 16 | c &<< 8 | d
    }

    /// The octet `bytes[start ..< end]` (digits only): 1-3 digits, no leading zero, at most 255.
    @inlinable @inline(__always)
    static func octet(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
        let length = end &- start
        guard length >= 1 && length <= 3 else { return nil }
        let first = UInt32(bytes[unchecked: start] &- 0x30)
        if length == 1 { return first }
        guard first != 0 else { return nil }
        let two = first &* 10 &+ UInt32(bytes[unchecked: start &+ 1] &- 0x30)
        if length == 2 { return two }
        let three = two &* 10 &+ UInt32(bytes[unchecked: start &+ 2] &- 0x30)
        return three <= 255 ? three : nil
    }

    /// The IPv4 address `bytes[start ..< end]`, a run of digits and exactly three dots, read
    /// strictly (four octets of 1-3 digits, no leading zero, at most 255), or nil.
    /// - Precondition: the bytes are digits and dots, three of them dots (reads are unchecked).
    @inlinable
    static func dottedQuad(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0, k = start
        for _ in 0 ..< 4 {
            let first = k
            var octet: UInt32 = 0
            while k < end, case let d = bytes[unchecked: k] &- 0x30, d < 10 {
                octet = octet &* 10 &+ UInt32(d)
                k &+= 1
            }
            let length = k &- first
            guard length > 0 && length <= 3 && octet <= 255 else { return nil }
            if length > 1 && bytes[unchecked: first] == 0x30 { return nil }
            value = value &<< 8 | octet
            k &+= 1  // the dot (past `end` after the fourth octet)
        }
        return value
    }

    /// The addresses in `bytes[from ..< to]`.
    public static func addresses(in bytes: Span<UInt8>, from: Int, to: Int) -> [Found] {
        var out: [Found] = []
        scan(bytes, from: from, to: to) { out.append($0); return true }
        return out
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

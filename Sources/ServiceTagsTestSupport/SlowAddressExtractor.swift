import ServiceTags

/// A slow reference for the extractor's documented rules, written over `Substring`s and
/// `SlowAddressParser` instead of byte indices and `AddressParser`.
public enum SlowAddressExtractor {
    public struct Found: Equatable { public var address: IPAddress; public var range: Range<Int> }

    static func isAddressCharacter(_ c: Unicode.Scalar) -> Bool {
        "0123456789abcdefABCDEF.:".unicodeScalars.contains(c)
    }

    public static func addresses(in line: String) -> [Found] {
        var out: [Found] = []
        let scalars = Array(line.unicodeScalars)
        var offsets: [Int] = [0]            // UTF-8 offset of each scalar
        for s in scalars { offsets.append(offsets.last! + String(s).utf8.count) }
        var i = 0
        while i < scalars.count {
            guard isAddressCharacter(scalars[i]) else { i += 1; continue }
            var j = i
            while j < scalars.count && isAddressCharacter(scalars[j]) { j += 1 }
            // The run is ASCII, so scalar k is at UTF-8 offset offsets[i] + (k - i).
            if let (address, range) = candidate(String(String.UnicodeScalarView(scalars[i ..< j]))) {
                let base = offsets[i]
                out.append(Found(address: unmapped(address), range: base + range.lowerBound ..< base + range.upperBound))
            }
            i = j
        }
        return out
    }

    /// Punctuation trimmed as documented, then the whole run, then the IPv4 part of `a.b.c.d:port`.
    static func candidate(_ run: String) -> (IPAddress, Range<Int>)? {
        var t = Array(run)
        var start = 0
        while t.last == "." { t.removeLast() }
        if t.count >= 2 && t[0] == ":" && t[1] != ":" { t.removeFirst(); start = 1 }
        if t.count >= 2 && t[t.count - 1] == ":" && t[t.count - 2] != ":" { t.removeLast() }
        guard t.count >= 2 else { return nil }
        let text = String(t)
        if let a = SlowAddressParser.address(text) { return (a, start ..< start + t.count) }
        if let colon = t.lastIndex(of: ":") {
            let head = String(t[..<colon])
            if head.contains("."), !head.contains(":"), let a = SlowAddressParser.address(head) {
                return (a, start ..< start + colon)
            }
        }
        return nil
    }

    /// `::ffff:a.b.c.d` (RFC 4291 section 2.5.5.2) as the IPv4 address.
    public static func unmapped(_ a: IPAddress) -> IPAddress {
        if case .v6(let v6) = a, v6.bits >> 32 == 0xFFFF { return .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: v6.bits))) }
        return a
    }
}

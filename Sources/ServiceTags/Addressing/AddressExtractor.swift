/// Finds the IP addresses in a line of free text (logs, configs) for `stag grep`.
///
/// A candidate is a maximal run of the characters addresses are made of (`0-9 a-f A-F . :`),
/// with sentence punctuation trimmed (a trailing `.`, a leading or trailing single `:`), parsed
/// strictly. A run that is not an address as a whole but holds `a.b.c.d:port` yields the IPv4
/// address; `[2001:db8::1]:443` yields the IPv6 address inside the brackets (the brackets end the
/// run). Timestamps such as `12:34:56` and version numbers such as `1.2.3` are not addresses.
/// IPv4-mapped IPv6 addresses are returned as IPv4.
public enum AddressExtractor {
    /// The addresses in `line`, in order of appearance.
    /// - Complexity: O(line length).
    public static func addresses(in line: some StringProtocol) -> [IPAddress] {
        let bytes = Array(line.utf8)
        var out: [IPAddress] = []
        var i = 0
        while i < bytes.count {
            guard isAddressByte(bytes[i]) else { i += 1; continue }
            var end = i
            while end < bytes.count && isAddressByte(bytes[end]) { end += 1 }
            if let a = candidate(bytes, i, end) { out.append(a.unmapped) }
            i = end
        }
        return out
    }

    @inline(__always)
    static func isAddressByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "."), UInt8(ascii: ":"): true
        default: false
        }
    }

    /// The address in `bytes[start..<end]`, trying the whole run, then the IPv4 part of `a.b.c.d:port`.
    static func candidate(_ bytes: [UInt8], _ start: Int, _ end: Int) -> IPAddress? {
        var s = start, e = end
        while e > s && bytes[e - 1] == UInt8(ascii: ".") { e -= 1 }
        // A single colon at either end is punctuation ("from:10.0.0.1", "host 10.0.0.1:"); "::" is not.
        if e - s >= 2 && bytes[s] == UInt8(ascii: ":") && bytes[s + 1] != UInt8(ascii: ":") { s += 1 }
        if e - s >= 2 && bytes[e - 1] == UInt8(ascii: ":") && bytes[e - 2] != UInt8(ascii: ":") { e -= 1 }
        guard e - s >= 2 else { return nil }
        let span = bytes.span
        if let whole = try? IPAddress(parsing: span.extracting(s ..< e)) { return whole }
        // a.b.c.d:port
        if let colon = bytes[s ..< e].lastIndex(of: UInt8(ascii: ":")),
           bytes[s ..< colon].contains(UInt8(ascii: ".")), !bytes[s ..< colon].contains(UInt8(ascii: ":")),
           let v4 = try? IPAddress(parsing: span.extracting(s ..< colon)) {
            return v4
        }
        return nil
    }
}

/// Finds the IP addresses in a line of free text (logs, configs) for `stag grep`.
///
/// A candidate is a maximal run of the characters addresses are made of (`0-9 a-f A-F . :`),
/// with sentence punctuation trimmed (a trailing `.`, a leading or trailing single `:`), parsed
/// strictly. A run that is not an address as a whole but holds `a.b.c.d:port` yields the IPv4
/// address; `[2001:db8::1]:443` yields the IPv6 address inside the brackets (the brackets end the
/// run). Timestamps such as `12:34:56` and version numbers such as `1.2.3` are not addresses.
/// IPv4-mapped IPv6 addresses are returned as IPv4.
public enum AddressExtractor {
    /// The addresses in `line`, in order of appearance (`AddressScanner` does the work on bytes).
    /// - Complexity: O(line length).
    public static func addresses(in line: some StringProtocol) -> [IPAddress] {
        let bytes = Array(line.utf8)
        return AddressScanner.addresses(in: bytes.span, from: 0, to: bytes.count).map(\.address)
    }
}

/// A slow, obviously-correct reference for the canonical text forms, for differential tests.
///
/// RFC 5952 section 4: hex groups in lower case without leading zeros; the longest run of two or more
/// zero groups becomes `::`, the first such run on a tie; a single zero group stays `0`. Section 5:
/// IPv4-mapped addresses (`::ffff:0:0/96`, RFC 4291 section 2.5.5.2) end in a dotted quad.
public enum SlowAddressFormatter {
    public static func ipv4(_ bits: UInt32) -> String {
        [24, 16, 8, 0].map { String((bits >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }

    public static func ipv6(_ bits: UInt128) -> String {
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * $0)) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:" + ipv4(UInt32(truncatingIfNeeded: bits))
        }
        // Every maximal run of zero groups as (start, length); keep the longest, the first on a tie.
        var best: (start: Int, length: Int)? = nil
        var i = 0
        while i < 8 {
            guard groups[i] == 0 else { i += 1; continue }
            var j = i
            while j < 8 && groups[j] == 0 { j += 1 }
            if j - i >= 2 && j - i > (best?.length ?? 0) { best = (i, j - i) }
            i = j
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let run = best else { return hex.joined(separator: ":") }
        let head = hex[..<run.start].joined(separator: ":")
        let tail = hex[(run.start + run.length)...].joined(separator: ":")
        return head + "::" + tail
    }

    public static func address(_ a: IPAddress) -> String {
        switch a {
        case .v4(let x): ipv4(x.bits)
        case .v6(let x): ipv6(x.bits)
        }
    }

    public static func prefix(_ p: IPPrefix) -> String {
        switch p {
        case .v4(let x): ipv4(x.address.bits) + "/" + String(x.length)
        case .v6(let x): ipv6(x.address.bits) + "/" + String(x.length)
        }
    }
}

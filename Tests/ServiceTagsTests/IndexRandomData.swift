import ServiceTagsTestSupport

/// Random tags whose prefixes cluster in a small universe so that nesting, duplicates across tags,
/// adjacency, /0 and full-length prefixes all occur.
enum IndexRandomData {
    static func prefix4(_ rng: inout SplitMix64, base: UInt32 = 0x0A00_0000) -> IPv4Prefix {
        let roll = Int.random(in: 0..<100, using: &rng)
        let length = roll == 0 ? 0 : roll < 4 ? Int.random(in: 1...15, using: &rng)
            : roll < 30 ? 32 : Int.random(in: 16...31, using: &rng)
        let a = base | UInt32.random(in: 0...0xFFFF, using: &rng)
        return IPv4Prefix(masking: IPv4Address(bits: a), length: length)
    }

    static func prefix6(_ rng: inout SplitMix64) -> IPv6Prefix {
        let roll = Int.random(in: 0..<100, using: &rng)
        let length = roll == 0 ? 0 : roll < 4 ? Int.random(in: 1...31, using: &rng)
            : roll < 30 ? 128 : roll < 50 ? Int.random(in: 100...127, using: &rng) : Int.random(in: 32...99, using: &rng)
        // Two clusters: a /32 with random low bits, and a /64 with few low bits set (deep paths).
        var a: UInt128 = 0x2603_1000 << 96
        if Bool.random(using: &rng) {
            a |= UInt128(UInt64.random(in: 0...UInt64.max, using: &rng)) << 32 | UInt128(UInt32.random(in: 0...0xFF, using: &rng)) << 64
        } else {
            a |= UInt128(UInt16.random(in: 0...3, using: &rng)) << 64 | UInt128(UInt8.random(in: 0...255, using: &rng))
        }
        return IPv6Prefix(masking: IPv6Address(bits: a), length: length)
    }

    static func tags(_ rng: inout SplitMix64, count: Int, prefixesPerTag: ClosedRange<Int>) -> [ServiceTag] {
        var pool4: [IPv4Prefix] = [], pool6: [IPv6Prefix] = []
        return (0..<count).map { i in
            var tag = ServiceTag(name: "Tag\(i)")
            for _ in 0..<Int.random(in: prefixesPerTag, using: &rng) {
                // Reuse a prefix of another tag a quarter of the time: the same prefix in several tags.
                if !pool4.isEmpty && Int.random(in: 0..<4, using: &rng) == 0 { tag.ipv4.append(pool4.randomElement(using: &rng)!) }
                else { let p = prefix4(&rng); tag.ipv4.append(p); pool4.append(p) }
                if !pool6.isEmpty && Int.random(in: 0..<4, using: &rng) == 0 { tag.ipv6.append(pool6.randomElement(using: &rng)!) }
                else { let p = prefix6(&rng); tag.ipv6.append(p); pool6.append(p) }
            }
            return tag
        }
    }

    /// Addresses worth asking about: each prefix's first and last address and their neighbours,
    /// plus random addresses in and around the universe.
    static func probes(_ tags: [ServiceTag], _ rng: inout SplitMix64, random: Int) -> [IPAddress] {
        var out: [IPAddress] = []
        for tag in tags {
            for p in tag.ipv4 {
                out += [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1].map { .v4(IPv4Address(bits: $0)) }
            }
            for p in tag.ipv6 {
                out += [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1].map { .v6(IPv6Address(bits: $0)) }
            }
        }
        for _ in 0..<random {
            out.append(.v4(IPv4Address(bits: 0x0A00_0000 | UInt32.random(in: 0...0x1_FFFF, using: &rng))))
            out.append(.v4(IPv4Address(bits: UInt32.random(in: 0...UInt32.max, using: &rng))))
            out.append(.v6(IPv6Address(bits: 0x2603_1000 << 96 | UInt128(UInt64.random(in: 0...UInt64.max, using: &rng)) << 32)))
            out.append(.v6(IPv6Address(bits: 0x2603_1000 << 96 | UInt128(UInt16.random(in: 0...3, using: &rng)) << 64 | UInt128(UInt8.random(in: 0...255, using: &rng)))))
        }
        return out
    }
}

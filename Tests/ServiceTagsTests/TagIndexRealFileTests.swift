import Testing
import ServiceTagsTestSupport

/// Acceptance: on each real weekly file, 100,000 seeded lookups through the combined index return
/// exactly the tag sets and most specific prefixes of a hash probe at every prefix length.
@Suite(.tags(.realData)) struct TagIndexRealFileTests {
    static let files = [
        "ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json",
        "ServiceTags_Public_20190722.json", "ServiceTags_AzureGovernment_20260720.json",
    ]

    /// Inside random prefixes, at first and last addresses, just outside them, and uniformly random;
    /// both families, in equal shares.
    static func addresses(_ file: ServiceTagsFile, count: Int, seed: UInt64) -> [IPAddress] {
        var rng = SplitMix64(seed: seed)
        let v4 = file.tags.flatMap(\.ipv4), v6 = file.tags.flatMap(\.ipv6)
        var out: [IPAddress] = []
        out.reserveCapacity(count)
        while out.count < count {
            let useV4 = v6.isEmpty || (!v4.isEmpty && rng.next() & 1 == 0)
            let kind = rng.int(in: 0...4)
            if useV4 {
                let p = rng.element(of: v4)
                let bits: UInt32
                switch kind {
                case 0: bits = p.address.bits | (UInt32(truncatingIfNeeded: rng.next()) & ~p.mask)
                case 1: bits = p.first.bits
                case 2: bits = p.last.bits
                case 3: bits = rng.next() & 1 == 0 ? p.first.bits &- 1 : p.last.bits &+ 1
                default: bits = UInt32(truncatingIfNeeded: rng.next())
                }
                out.append(.v4(IPv4Address(bits: bits)))
            } else {
                let p = rng.element(of: v6)
                let random = UInt128(rng.next()) << 64 | UInt128(rng.next())
                let bits: UInt128
                switch kind {
                case 0: bits = p.address.bits | (random & ~p.mask)
                case 1: bits = p.first.bits
                case 2: bits = p.last.bits
                case 3: bits = rng.next() & 1 == 0 ? p.first.bits &- 1 : p.last.bits &+ 1
                default: bits = random
                }
                out.append(.v6(IPv6Address(bits: bits)))
            }
        }
        return out
    }

    @Test(.realData(files[0], files[1], files[2], files[3]), arguments: files)
    func hundredThousandLookupsEqualTheHashProbeReference(name: String) throws {
        let path = try #require(FixturePaths.realFile(name))
        let file = try ServiceTagsFile(readingFileAt: path)
        let index = TagIndexBuilder(file).finish()
        let reference = ReferenceTagTable(file.tags)
        var mismatches = 0
        var matched = 0
        for address in Self.addresses(file, count: 100_000, seed: 2025) {
            let got = index.matches(for: address).map { ReferenceTagTable.Answer(tag: Int($0.tag), prefix: $0.prefix) }
                .sorted { $0.tag < $1.tag }
            let want = reference.hashProbe(address)
            if !want.isEmpty { matched += 1 }
            if got != want {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(name): \(address): index \(got) != reference \(want)") }
            }
        }
        #expect(mismatches == 0)
        // The sample must exercise both outcomes, or the comparison proves little.
        #expect(matched > 50_000 && matched < 100_000)
    }
}

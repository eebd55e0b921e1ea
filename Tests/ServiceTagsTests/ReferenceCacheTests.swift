@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `ReferenceCache` (the compiled loader's table of decoded strings) against a `Dictionary`:
/// seeded references, colliding ones among them, across several doublings.
@Suite struct ReferenceCacheTests {
    @Test(arguments: [1, 2, 3])
    func agreesWithADictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var cache = ReferenceCache()
        var reference: [UInt64: String] = [:]
        for i in 0 ..< 3_000 {
            // Offsets and lengths as the loader sees them (length <= 4096), plus near neighbours,
            // which differ in few bits.
            let key = i % 3 == 0 ? UInt64(i) : (rng.next() % 5_000_000) | (rng.next() % 4_097) << 32
            #expect(cache[key] == reference[key], "before insert \(key)")
            if reference[key] == nil {
                cache.insert("s\(i)", for: key)
                reference[key] = "s\(i)"
            }
            let probe = rng.next() % 5_000_000
            #expect(cache[probe] == reference[probe])
        }
        for (key, value) in reference { #expect(cache[key] == value) }
        #expect(cache[UInt64.max] == nil)
    }
}

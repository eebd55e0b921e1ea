import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `TagNameOrder.ranks` against sorting the names' byte arrays, on seeded names that mix ASCII,
/// non-ASCII and shared prefixes (byte order, not `String`'s `<`: "Z" < "a" < "é" < "ｚ").
@Suite struct TagNameOrderTests {
    @Test func ranksAreTheByteOrder() {
        var rng = SplitMix64(seed: 0x7A6)
        let alphabet = ["A", "Z", "a", "z", ".", "-", "é", "e\u{301}", "ｚ", "😀", "AzureCloud", ""]
        var names = Set<[UInt8]>()
        while names.count < 500 {
            names.insert(Array((0 ..< rng.int(in: 1 ... 4)).map { _ in alphabet[rng.int(in: 0 ... alphabet.count - 1)] }.joined().utf8))
        }
        let list = names.map { String(decoding: $0, as: UTF8.self) }
        let ranks = TagNameOrder.ranks(list)
        let expected = list.indices.sorted { Array(list[$0].utf8).lexicographicallyPrecedes(Array(list[$1].utf8)) }
        #expect(expected.enumerated().allSatisfy { r, i in ranks[i] == Int32(r) })
        #expect(TagNameOrder.precedes("Z", "a") && TagNameOrder.precedes("a", "\u{E9}") && !TagNameOrder.precedes("b", "b"))
    }
}

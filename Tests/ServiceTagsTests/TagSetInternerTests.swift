@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The tag set interner against a dictionary of member lists: singletons are their tag, each
/// distinct larger set gets the next ID on its first appearance, and every ID's members are the
/// list it was interned from, across the table's growth.
@Suite struct TagSetInternerTests {
    @Test(arguments: 0 ..< 4) func internerAgreesWithADictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let tagCount = 50
        var interner = TagSetInterner(tagCount: tagCount)
        var reference: [[TagID]: UInt32] = [:]
        for _ in 0 ..< 3_000 {
            let list = Array(Set((0 ..< Int.random(in: 2 ... 5, using: &rng)).map { _ in TagID.random(in: 0 ..< TagID(tagCount), using: &rng) })).sorted()
            guard list.count >= 2 else { continue }
            let id = interner.intern(list[...])
            let expected = reference[list] ?? UInt32(tagCount + reference.count)
            #expect(id == expected, "\(list)")
            reference[list] = expected
            #expect(Array(interner.members[Int(interner.start[Int(id)]) ..< Int(interner.start[Int(id) + 1])]) == list)
        }
        #expect(reference.count > 300)  // the table grew past its first 256 slots
        for t in 0 ..< tagCount { #expect(interner.members[Int(interner.start[t]) ..< Int(interner.start[t + 1])].elementsEqual([TagID(t)])) }
    }
}

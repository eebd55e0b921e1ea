import Testing
import ServiceTags
import ServiceTagsTestSupport

@Suite struct SHA256Tests {
    // FIPS 180-4 / NIST example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
        #expect(SlowSHA256.hex(Array(input.utf8)) == digest)
        var portable = SHA256(engine: .portable)
        portable.update(Array(input.utf8))
        #expect(portable.finalizeHex() == digest)
    }

    @Test func millionAsInChunksOfAnySize() {
        var h = SHA256()
        var remaining = 1_000_000
        var size = 1
        while remaining > 0 {
            let n = min(size, remaining)
            h.update(repeatElement(UInt8(ascii: "a"), count: n))
            remaining -= n
            size = size * 3 % 1000 + 1
        }
        #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

/// The unrolled `SHA256` against `SlowSHA256` (the standard's loop as written) on seeded random
/// inputs: every length up to five blocks (each padding case), longer ones, and random chunking
/// (a partial block carried between `update` calls, many blocks in one).
@Suite struct SHA256ReferenceTests {
    @Test(arguments: [SHA256.Engine.fastest, .portable])
    func agreesWithTheSlowReferenceOnSeededInputs(engine: SHA256.Engine) {
        var rng = SplitMix64(seed: 0x5A25)
        let lengths = Array(0 ... 320) + (0 ..< 20).map { _ in rng.int(in: 321 ... 70_000) }
        for length in lengths {
            let bytes = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var fast = SHA256(engine: engine)
            var i = 0
            while i < bytes.count {
                // Now and then the whole rest at once, so that most of a long input is one call.
                let n = rng.int(in: 0 ... 3) == 0 ? bytes.count - i : min(rng.int(in: 1 ... 300), bytes.count - i)
                fast.update(bytes[i ..< i + n])
                i += n
            }
            #expect(fast.finalizeHex() == SlowSHA256.hex(bytes), "length \(length)")
        }
    }
}

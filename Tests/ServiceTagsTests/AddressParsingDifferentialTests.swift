import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The fast byte parser against `SlowAddressParser` on seeded random inputs: both must agree on
/// accept versus reject and on the value. Counts guard against a vacuous run (all accepted or all
/// rejected). Iterations: `STAG_QUICKCHECK_ITERATIONS` (default 2,000).
@Suite struct AddressParsingDifferentialTests {
    static func fast(_ text: String) -> IPAddress? { try? IPAddress(parsing: text) }
    static func fastPrefix(_ text: String) -> IPPrefix? { try? IPPrefix(parsing: text) }

    @Test func randomSpellingsParseToTheirValue() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<RandomIterations.count {
            let bits = RandomAddresses.ipv6(&rng)
            let text = RandomSpelling.ipv6(bits, &rng)
            #expect(try IPv6Address(parsing: text).bits == bits, "\(text)")
            #expect(SlowAddressParser.ipv6(text) == bits, "\(text)")
        }
    }

    @Test func parsersAgreeOnMutatedAddresses() {
        var rng = SplitMix64(seed: 2)
        var accepted = 0, rejected = 0
        for _ in 0..<RandomIterations.count {
            let valid = rng.chance(0.5)
                ? RandomSpelling.ipv6(RandomAddresses.ipv6(&rng), &rng)
                : SlowAddressFormatter.ipv4(UInt32(truncatingIfNeeded: rng.next()))
            let text = RandomSpelling.mutate(valid, &rng)
            let slow = SlowAddressParser.address(text)
            #expect(Self.fast(text) == slow, "\(text.debugDescription)")
            // The per-family entry points agree with the reference too.
            #expect((try? IPv4Address(parsing: text))?.bits == SlowAddressParser.ipv4(text), "\(text.debugDescription)")
            #expect((try? IPv6Address(parsing: text))?.bits == SlowAddressParser.ipv6(text), "\(text.debugDescription)")
            if slow == nil { rejected += 1 } else { accepted += 1 }
        }
        #expect(accepted > RandomIterations.count / 20 && rejected > RandomIterations.count / 5, "\(accepted) accepted, \(rejected) rejected")
    }

    @Test func parsersAgreeOnMutatedPrefixes() {
        var rng = SplitMix64(seed: 3)
        var accepted = 0, rejected = 0
        for _ in 0..<RandomIterations.count {
            let isV6 = rng.chance(0.5)
            let width = isV6 ? 128 : 32
            let length = rng.int(in: 0...width)
            // Masked most of the time; otherwise host bits may be set and must be rejected.
            let address: String
            if isV6 {
                var bits = RandomAddresses.ipv6(&rng)
                if rng.chance(0.7) { bits &= length == 0 ? 0 : UInt128.max << (128 - length) }
                address = RandomSpelling.ipv6(bits, &rng)
            } else {
                var bits = UInt32(truncatingIfNeeded: rng.next())
                if rng.chance(0.7) { bits &= length == 0 ? 0 : UInt32.max << (32 - length) }
                address = SlowAddressFormatter.ipv4(bits)
            }
            var text = address + "/" + String(length)
            if rng.chance(0.6) { text = RandomSpelling.mutate(text, &rng) }
            let slow = SlowAddressParser.prefix(text)
            #expect(Self.fastPrefix(text) == slow, "\(text.debugDescription)")
            if slow == nil { rejected += 1 } else { accepted += 1 }
        }
        #expect(accepted > RandomIterations.count / 10 && rejected > RandomIterations.count / 10, "\(accepted) accepted, \(rejected) rejected")
    }

    @Test func parsersAgreeOnRandomJunk() {
        var rng = SplitMix64(seed: 4)
        for _ in 0..<RandomIterations.count {
            let bytes = (0..<rng.int(in: 0...12)).map { _ in rng.element(of: RandomSpelling.alphabet) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Self.fast(text) == SlowAddressParser.address(text), "\(text.debugDescription)")
            #expect(Self.fastPrefix(text) == SlowAddressParser.prefix(text), "\(text.debugDescription)")
        }
    }

    @Test func slowParserAcceptsWhatTheFormatterWrites() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<RandomIterations.count {
            let v6 = RandomAddresses.ipv6(&rng)
            #expect(SlowAddressParser.ipv6(IPv6Address(bits: v6).description) == v6)
            let p = IPv4Prefix(masking: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: rng.int(in: 0...32))
            #expect(SlowAddressParser.prefix(p.description) == .v4(p))
        }
    }

    /// Parsing has no hidden state: the same inputs in another order give the same results, errors included.
    @Test func parsingIsPure() {
        var rng = SplitMix64(seed: 6)
        let inputs = (0..<500).map { _ in
            RandomSpelling.mutate(RandomSpelling.ipv6(RandomAddresses.ipv6(&rng), &rng) + "/" + String(rng.int(in: 0...128)), &rng)
        }
        func parseAll(_ texts: [String]) -> [String: Result<IPPrefix, AddressParseError>] {
            var out: [String: Result<IPPrefix, AddressParseError>] = [:]
            for t in texts { out[t] = Result { () throws(AddressParseError) -> IPPrefix in try IPPrefix(parsing: t) } }
            return out
        }
        let forward = parseAll(inputs)
        #expect(forward == parseAll(inputs.reversed()))
        #expect(forward == parseAll(inputs))
    }
}

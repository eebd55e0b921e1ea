import Foundation
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `InPlacePrefixParser` may only ever say what `AddressParser.prefix` says: it accepts a subset,
/// with the same value, and defers everything else.
@Suite("Reader prefix fast path")
struct ReaderPrefixFastPathTests {
    /// Runs the fast path on `text` followed by `"` and padding, as the reader's buffer has it.
    static func fast(_ text: String) -> (result: IPPrefix?, consumed: Int) {
        let bytes = Array(text.utf8) + [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: " "), count: 64)
        var buffer4 = PrefixBuffer<IPv4Prefix>(capacity: 1)
        var buffer6 = PrefixBuffer<IPv6Prefix>(capacity: 1)
        let after = bytes.withUnsafeBufferPointer { b in
            InPlacePrefixParser.parse(b.baseAddress!, 0, b.count, into: &buffer4, &buffer6)
        }
        let v4 = buffer4.array()
        let v6 = buffer6.array()
        if after < 0 {
            #expect(v4.isEmpty && v6.isEmpty)
            return (nil, after)
        }
        #expect(v4.count + v6.count == 1)
        return (v4.first.map(IPPrefix.v4) ?? v6.first.map(IPPrefix.v6), after)
    }

    static func check(_ text: String) -> Bool {
        let general = try? IPPrefix(parsing: text)
        let (result, after) = fast(text)
        guard let result else { return true }  // deferring is always allowed
        #expect(result == general, "\(text)")
        #expect(after == text.utf8.count + 1, "\(text)")
        return result == general
    }

    @Test(arguments: [
        "0.0.0.0/0", "255.255.255.255/32", "192.0.2.0/24", "10.0.0.0/8", "::/0", "::1/128", "2001:db8::/32",
        "2001:DB8::/32", "1::/16", "1:2:3:4:5:6:7::/112", "::2:3:4:5:6:7:8/128", "1:2:3:4:5:6:7:8/128",
        "2603:1000:4::280/123", "fe80::/10",
    ])
    func acceptsCommonFormsWithTheSameValue(_ text: String) {
        #expect(Self.fast(text).result != nil, "\(text) should take the fast path")
        #expect(Self.check(text))
    }

    @Test(arguments: [
        "010.0.0.0/8", "256.0.0.0/8", "1.2.3/8", "1.2.3.4.5/8", "1.2.3.4", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/08",
        "1.2.3.1/24", "1.2.3.4/8x", "::ffff:1.2.3.4/128", "1:::/8", "1::2::3/64", ":1::/64", "1:/64", "12345::/16",
        "1:2:3:4:5:6:7:8::/128", "1:2:3:4:5:6:7:8:9/128", "::/129", "2001:db8::1/32", "fe80::%eth0/64", "", "/8",
    ])
    func defersEverythingElse(_ text: String) {
        #expect(Self.fast(text).result == nil, "\(text)")
    }

    /// Random near-misses: valid prefixes with one byte replaced, inserted or deleted, plus noise
    /// from the prefix alphabet.
    @Test func randomNearMissesAgreeWithAddressParser() {
        var rng = SplitMix64(seed: 20251013)
        let alphabet = Array("0123456789abcdefABCDEF:./%x".utf8)
        var accepted = 0
        for _ in 0..<40_000 {
            var text: [UInt8]
            if rng.next() % 2 == 0 {
                let address = IPv6Address(bits: UInt128(rng.next()) << 64 | UInt128(rng.next() % 3 == 0 ? 0 : rng.next()))
                let p6 = IPv6Prefix(masking: address, length: Int(rng.next() % 129))
                let p4 = IPv4Prefix(masking: IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())), length: Int(rng.next() % 33))
                text = Array((rng.next() % 3 == 0 ? p6.description : p4.description).utf8)
                switch rng.next() % 4 {
                case 0: text[Int(rng.next() % UInt64(text.count))] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: text.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: Int(rng.next() % UInt64(text.count + 1)))
                case 2: text.remove(at: Int(rng.next() % UInt64(text.count)))
                default: break
                }
            } else {
                text = (0..<Int(rng.next() % 20)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            }
            let string = String(decoding: text, as: UTF8.self)
            if Self.fast(string).result != nil { accepted += 1 }
            if !Self.check(string) { return }
        }
        #expect(accepted > 5_000)  // the comparison above did exercise the fast path
    }

    /// Every prefix in the real files takes the fast path (that is where the speed comes from) and
    /// agrees with the general parser.
    @Test(.realData("ServiceTags_Public_20251013.json"), .tags(.realData)) func realPrefixesTakeTheFastPath() throws {
        let path = try #require(FixturePaths.realFile("ServiceTags_Public_20251013.json"))
        let data = try #require(FileManager.default.contents(atPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let values = try #require(root["values"] as? [[String: Any]])
        var count = 0
        for value in values {
            for text in (value["properties"] as? [String: Any])?["addressPrefixes"] as? [String] ?? [] {
                #expect(Self.fast(text).result != nil, "\(text)")
                #expect(Self.check(text))
                count += 1
            }
        }
        #expect(count > 50_000)
    }
}

extension ReaderPrefixFastPathTests {
    /// Every 1...3-digit field (leading zeros included) in each of the four positions and as the
    /// length: the word-at-a-time IPv4 path must agree with `AddressParser` on all of them.
    @Test func everyIPv4FieldSpellingAgreesWithAddressParser() {
        var fields: [String] = []
        for n in 0..<1000 { fields.append(String(n)) }
        for n in 0..<100 { fields.append("0" + String(n)); fields.append("00" + String(n)) }
        var accepted = 0
        for field in fields {
            let texts = ["\(field).0.0.0/8", "10.\(field).0.0/16", "10.1.\(field).0/24", "10.1.2.\(field)/32",
                         "255.255.255.255/\(field)", "0.0.0.0/\(field)", "\(field).\(field).\(field).\(field)/32"]
            for text in texts {
                if Self.fast(text).result != nil { accepted += 1 }
                if !Self.check(text) { return }
            }
        }
        // Every valid one takes the fast path: 256 spellings in five texts, one and 33 lengths.
        #expect(accepted == 5 * 256 + 1 + 33)
    }
}

@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Tag names that differ in bytes but that Swift's `String ==` (canonical equivalence) takes as
/// equal. Every name lookup of the tool (`--tag`, export, diff, history) goes through `String`, so
/// such a file would make one tag answer for both (found: `export` of the decomposed name printed
/// both tags' prefixes). The reader and the compiled index loader refuse them instead.
@Suite struct EquivalentTagNameTests {
    /// Pairs of names, as JSON string bodies: the second is canonically equivalent to the first.
    static let pairs: [(String, String)] = [
        (#"\u00e9"#, #"e\u0301"#),        // é precomposed, decomposed
        ("K", #"\u212a"#),                // ASCII K, KELVIN SIGN (decomposes to K)
        (#"\u212a"#, "K"),                // the same, non-ASCII first
        (#"A\u00c5"#, #"A\u212b"#),       // Å, ANGSTROM SIGN
        (#"x;"#, #"x\u037e"#),            // ASCII ;, GREEK QUESTION MARK
    ]

    static func document(_ names: [String]) -> [UInt8] {
        let entries = names.map { #"{"name": "\#($0)", "properties": {"addressPrefixes": ["10.0.0.0/8"]}}"# }
        return Array(("{\"values\": [" + entries.joined(separator: ", ") + "]}").utf8)
    }

    @Test(arguments: 0 ..< 5)
    func readerRefusesTheSecondOfAnEquivalentPair(pair: Int) {
        let (a, b) = Self.pairs[pair]
        // Other names around them, so the pair is found among ASCII names before and after.
        let e = ReaderTestSupport.error(reading: Self.document(["T1", a, "T2", b, "T3"]))
        guard case .equivalentTagName = e?.reason else { Issue.record("got \(String(describing: e))"); return }
        #expect(e?.jsonPath == "values[3].name")
        #expect(e?.description.contains("canonically equivalent") == true)
    }

    @Test func readerAcceptsNonASCIINamesThatAreOnlySimilar() throws {
        // Distinct under canonical equivalence: different letters, and a compatibility (not
        // canonical) equivalent, the ligature "ﬁ" beside "fi".
        let names = [#"\u00e9"#, #"\u00e8"#, "e", #"\ufb01"#, "fi", "K", #"\u00c5"#]
        #expect(ReaderTestSupport.error(reading: Self.document(names)) == nil)
    }

    @Test func compiledIndexRefusesEquivalentNames() throws {
        let p = IPv4Prefix(masking: IPv4Address(bits: 10 << 24), length: 8)
        for (a, b) in [("\u{E9}", "e\u{301}"), ("K", "\u{212A}")] {
            let file = ServiceTagsFile(changeNumber: 1, cloud: "Public", tags: [
                ServiceTag(name: "T", ipv4: [p]), ServiceTag(name: a, ipv4: [p]), ServiceTag(name: b, ipv4: [p]),
            ])
            let bytes = try CompiledIndexTestSupport.compile(file)
            let error = try #require(CompiledIndexTestSupport.loadError(bytes))
            #expect(error.message.contains("tags 1 and 2 have canonically equivalent names"), "\(error)")
        }
    }

    /// A compiled history's builder merges equivalent names into one tag, so only a crafted file
    /// holds two: "ZZZ" rewritten in the string pool as the Kelvin sign (three bytes, still after
    /// "K" in byte order), checksum resealed.
    @Test func compiledHistoryRefusesEquivalentNames() throws {
        let p = IPv4Prefix(masking: IPv4Address(bits: 10 << 24), length: 8)
        let file = ServiceTagsFile(changeNumber: 1, cloud: "Public", tags: [ServiceTag(name: "K", ipv4: [p]), ServiceTag(name: "ZZZ", ipv4: [p])])
        var bytes = try CompiledHistoryTests.compile([file])
        let at = try #require((0 ..< bytes.count - 2).first { bytes[$0] == 0x5A && bytes[$0 + 1] == 0x5A && bytes[$0 + 2] == 0x5A })
        bytes.replaceSubrange(at ..< at + 3, with: [0xE2, 0x84, 0xAA])
        CompiledIndex.resealChecksum(&bytes)
        let error = #expect(throws: CompiledIndexError.self) { try CompiledHistoryTests.load(bytes) }
        #expect(error?.message.contains("tags 0 and 1 have canonically equivalent names") == true, "\(String(describing: error))")
    }
}

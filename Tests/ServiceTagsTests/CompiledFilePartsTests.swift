@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// A compiled index written as parts (`CompiledFileParts`: what `stag compile` writes piece by
/// piece, most pieces views of the index's own arrays) is the file docs/compiled-index.md
/// describes: checked here against the layout read back by hand (header fields, 16-byte aligned
/// sections, zero padding, sections equal to arrays serialised independently), and its streamed
/// checksum against `CompiledIndexChecksum.compute` over the whole buffer.
@Suite struct CompiledFilePartsTests {
    typealias L = CompiledIndexLayout

    /// Random bytes (a multiple of 8, at least 64, like a file) cut into random pieces, empty ones
    /// and pieces smaller than a block among them.
    @Test(arguments: 0 ..< 60) func streamedChecksumEqualsTheWholeBuffers(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let count = 64 + 8 * Int.random(in: 0 ... 200, using: &rng)
        let bytes = (0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        var cuts = (0 ..< Int.random(in: 0 ... 12, using: &rng)).map { _ in Int.random(in: 0 ... count, using: &rng) }
        cuts += [0, count]
        cuts.sort()
        var stream = CompiledIndexChecksum.Stream()
        bytes.withUnsafeBytes { raw in
            for (a, b) in zip(cuts, cuts.dropFirst()) { stream.update(UnsafeRawBufferPointer(rebasing: raw[a ..< b])) }
        }
        #expect(stream.finish() == bytes.withUnsafeBytes { CompiledIndexChecksum.compute($0) }, "cuts \(cuts)")
    }

    static func le<T: FixedWidthInteger>(_ values: some Sequence<T>) -> [UInt8] {
        values.flatMap { v in (0 ..< MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
    }

    static func read<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, as: T.Type) -> T {
        (0 ..< MemoryLayout<T>.size).reduce(T(0)) { $0 | T(bytes[offset + $1]) << ($1 * 8) }
    }

    /// Large enough for the two-core path (`TagIndexBuilder.parallelThreshold` entries), small
    /// enough for a debug build.
    static let file = SyntheticServiceTags(.init(tags: 300, prefixes: 21_000, seed: 11)).file

    @Test func partsAreTheDocumentedLayout() throws {
        let sha = (0 ..< 32).map { UInt8($0 * 5 & 0xFF) }
        let parts = try CompiledIndex.sections(compiling: Self.file).parts(sourceSHA256: sha, sourceSize: 4_108_133)
        var bytes: [UInt8] = []
        var pieces = 0
        parts.forEachPiece { bytes += $0; pieces += 1 }
        #expect(bytes.count == parts.count && bytes == parts.bytes && pieces > CompiledSection.all.count)
        #expect(bytes.count % L.alignment == 0)
        #expect(Array(bytes[0 ..< 8]) == L.magic && Array(bytes[32 ..< 64]) == sha)
        #expect(Self.read(bytes, L.Field.fileSize, as: UInt64.self) == UInt64(bytes.count))
        #expect(Self.read(bytes, L.Field.sourceSize, as: UInt64.self) == 4_108_133)
        #expect(Self.read(bytes, L.Field.checksum, as: UInt64.self) == bytes.withUnsafeBytes { CompiledIndexChecksum.compute($0) })
        // The section table, and every byte between sections zero.
        let count = Int(Self.read(bytes, L.Field.sectionCount, as: UInt32.self))
        #expect(count == CompiledSection.all.count)
        var sections: [UInt32: [UInt8]] = [:]
        var end = L.headerSize + count * L.sectionEntrySize
        for i in 0 ..< count {
            let entry = L.headerSize + i * L.sectionEntrySize
            let kind = Self.read(bytes, entry, as: UInt32.self)
            let offset = Int(Self.read(bytes, entry + 8, as: UInt64.self)), length = Int(Self.read(bytes, entry + 16, as: UInt64.self))
            #expect(kind == CompiledSection.all[i].rawValue && offset % L.alignment == 0 && offset >= end)
            #expect(bytes[end ..< offset].allSatisfy { $0 == 0 }, "padding before section \(kind)")
            sections[kind] = Array(bytes[offset ..< offset + length])
            end = offset + length
        }
        #expect(bytes[end...].allSatisfy { $0 == 0 })
        // Sections serialised here, independently of the writer: the model's prefixes tag after
        // tag, and index arrays of a separately built index.
        let tags = Self.file.tags
        #expect(sections[CompiledSection.modelIPv4Addresses.rawValue] == Self.le(tags.flatMap { $0.ipv4.map(\.address.bits) }))
        #expect(sections[CompiledSection.modelIPv6Lengths.rawValue] == tags.flatMap { $0.ipv6.map(\.length) })
        #expect(sections[CompiledSection.cloud.rawValue] == Array(Self.file.cloud.utf8))
        let index = TagIndexBuilder(Self.file).finish()
        func family<A>(_ f: FamilyIndex<A>, v4: Bool) {
            func section(_ name: String) -> [UInt8]? { sections[CompiledSection.family(v4, name).rawValue] }
            #expect(section("nodes") == Self.le(f.table._nodes))
            #expect(section("key") == Self.le(f.table._key))
            #expect(section("prefixes.addresses") == Self.le(f.prefixes.addresses))
            #expect(section("matches") == Self.le(f.matches.map { UInt64($0.tag) | UInt64($0.node) << 32 }))
            #expect(section("parent") == Self.le(f.parent))
        }
        family(index.ipv4, v4: true)
        family(index.ipv6, v4: false)
        // And it loads, answering as the built index does (the round-trip tests check more).
        let loaded = try CompiledIndexTestSupport.load(bytes).get()
        #expect(loaded.file.tags == tags)
    }
}

/// The string pool against a dictionary keyed by bytes: every string's range holds its own bytes,
/// equal byte sequences share one range and distinct ones never do, across the table's growth
/// (thousands of strings), with empty strings and canonically equal spellings among them.
@Suite struct CompiledStringPoolTests {
    @Test(arguments: 0 ..< 4) func poolAgreesWithADictionaryOfBytes(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let alphabet = ["a", "b", "Z", "-", ".", "é", "e\u{301}", "Å", "A\u{30A}", "\u{212B}"]
        var pool = CompiledStringPool()
        var reference: [[UInt8]: (UInt32, UInt32)] = [:]
        for _ in 0 ..< 4_000 {
            let s = (0 ..< Int.random(in: 0 ... 6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            let got = try pool.intern(s, what: "s")
            let bytes = Array(s.utf8)
            #expect(Array(pool.bytes.bytes[Int(got.0) ..< Int(got.0 + got.1)]) == bytes)
            if let first = reference[bytes] { #expect(first == got, "\(bytes)") } else { reference[bytes] = got }
        }
        // Distinct byte sequences got distinct ranges, and the pool holds each once.
        #expect(Set(reference.values.map { UInt64($0.0) << 32 | UInt64($0.1) }).count == reference.count)
        #expect(pool.bytes.bytes.count == reference.keys.reduce(0) { $0 + $1.count })
    }
}

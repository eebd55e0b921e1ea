import Foundation
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// A damaged compiled index is rejected with an error (never a crash) or, where nothing that the
/// answers depend on changed, answers as the original. Deliberate edits with a recomputed,
/// valid checksum must be caught by validation itself.
@Suite struct CompiledIndexCorruptionTests {
    typealias S = CompiledIndexTestSupport
    typealias L = CompiledIndexLayout

    static let file = try! ServiceTagsFile(readingFileAt: FixturePaths.sample)
    static let bytes = try! S.compile(file)

    @Test func truncatedAtEveryOffsetIsRejected() {
        var accepted: [Int] = []
        for count in 0 ..< Self.bytes.count {
            guard case .failure(let error) = S.load(Self.bytes, count: count) else { accepted.append(count); continue }
            if count >= L.magic.count && count != 0 { #expect(error.kind == .truncated || error.kind == .invalid, "\(count): \(error)") }
        }
        #expect(accepted.isEmpty)
    }

    @Test func truncatedFileOnDiskIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-compiled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for count in [0, 5, 95, 96, Self.bytes.count / 2, Self.bytes.count - 8] {
            let path = dir.path + "/t\(count).stagidx"
            try Data(Self.bytes[0 ..< count]).write(to: URL(fileURLWithPath: path))
            #expect(throws: CompiledIndexError.self) { try CompiledIndex(contentsOf: path) }
        }
        #expect(throws: CompiledIndexError.self) { try CompiledIndex(contentsOf: dir.path) }
        let whole = dir.path + "/whole.stagidx"
        try Data(Self.bytes).write(to: URL(fileURLWithPath: whole))
        #expect(try CompiledIndex(contentsOf: whole).file.tags == Self.file.tags)
    }

    /// Every byte of a small index is flipped in turn (the sample's would take a minute in a
    /// debug build: each load checks the checksum over the whole file).
    @Test func everyFlippedByteIsRejectedOrHarmless() throws {
        let file = SyntheticServiceTags(.init(tags: 8, prefixes: 60, seed: 4)).file
        var bytes = try S.compile(file)
        let probes: [IPAddress] = { var rng = SplitMix64(seed: 3); return IndexRandomData.probes(file.tags, &rng, random: 50) }()
        let original = try S.load(bytes).get()
        for i in bytes.indices {
            bytes[i] ^= 0x5A
            switch S.load(bytes) {
            case .failure: break
            case .success(let loaded):
                #expect(loaded.file.tags == original.file.tags, "flip at \(i)")
                for a in probes where S.answers(loaded.index, a) != S.answers(original.index, a) {
                    Issue.record("flip at \(i) changed the answer for \(a)")
                }
            }
            bytes[i] ^= 0x5A
        }
        #expect(bytes.count > 4_000)
    }

    @Test func wrongVersionSaysSo() {
        var bytes = Self.bytes
        S.put(UInt32(2), at: L.Field.version, in: &bytes)
        let error = S.loadError(bytes)
        #expect(error?.kind == .version(found: 2))
        #expect(error?.message == "compiled index format version 2; this stag reads version 4; recompile with stag compile")
    }

    @Test func notAnIndexAndChecksumMismatch() throws {
        #expect(S.loadError(Array("{\"values\":[]}".utf8))?.kind == .notAnIndex)
        var bytes = Self.bytes
        bytes[bytes.count - 1] ^= 1
        #expect(S.loadError(bytes)?.kind == .checksum)
    }

    /// Edits that keep the checksum valid: each must be stopped by validation, with its place.
    static func rejected(_ edit: (inout [UInt8]) throws -> Void) throws -> CompiledIndexError? {
        var bytes = Self.bytes
        try edit(&bytes)
        S.reseal(&bytes)
        return S.loadError(bytes)
    }

    static func nodes(_ bytes: [UInt8]) throws -> Range<Int> { try S.range(bytes, CompiledSection.family(false, "nodes")) }

    @Test func outOfRangeNodeIndexInTheRoot() throws {
        let error = try Self.rejected { bytes in
            let root = try S.range(bytes, CompiledSection.family(true, "root"))
            let nodes = try S.range(bytes, CompiledSection.family(true, "nodes")).count / 8 / StrideTable<IPv4Address>.nodeWords
            // The entry of the first run of root entries.
            S.put(StrideTable<IPv4Address>.childFlag | UInt32(nodes), at: root.lowerBound + 4, in: &bytes)
        }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("ipv4.root") == true, "\(String(describing: error))")
    }

    @Test func childCycleIsRejected() throws {
        let error = try Self.rejected { bytes in
            let nodes = try Self.nodes(bytes)
            try #require(nodes.count >= 8 * StrideTable<IPv6Address>.nodeWords)
            // Find a node with children and make its first child itself.
            for n in 0 ..< nodes.count / 8 / StrideTable<IPv6Address>.nodeWords {
                let base = nodes.lowerBound + n * 8 * StrideTable<IPv6Address>.nodeWords
                let children = (2 ..< 6).reduce(0) { $0 + S.get(UInt64.self, at: base + 8 * $1, in: bytes).nonzeroBitCount }
                if children > 0 {
                    let header = S.get(UInt64.self, at: base, in: bytes)
                    S.put(header & ~0xFFFF_FFFF | UInt64(n), at: base, in: &bytes)
                    return
                }
            }
            Issue.record("no IPv6 node with children in the sample")
        }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("ipv6.nodes") == true, "\(String(describing: error))")
    }

    /// The word counts let a lookup rank with one popcount and no bounds check, so a count that
    /// disagrees with its bitmap (here one more leaf before word 3, or a count past 192) must be
    /// refused even when the checksum is resealed.
    @Test(arguments: [UInt64(1) << 56, UInt64(0xFF) << 32])
    func wordCountsThatDisagreeWithTheBitmaps(_ change: UInt64) throws {
        let error = try Self.rejected { bytes in
            let base = try Self.nodes(bytes).lowerBound
            let info = S.get(UInt64.self, at: base + 8, in: bytes)
            S.put(info ^ change, at: base + 8, in: &bytes)
        }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains("word counts") == true, "\(String(describing: error))")
    }

    @Test func depthNotAMultipleOfTheStride() throws {
        let error = try Self.rejected { bytes in
            let base = try Self.nodes(bytes).lowerBound
            let info = S.get(UInt64.self, at: base + 8, in: bytes)
            S.put(info + 3, at: base + 8, in: &bytes)
        }
        #expect(error?.message.contains("depth") == true, "\(String(describing: error))")
    }

    @Test func leafValueAboveThePrefixCount() throws {
        let error = try Self.rejected { bytes in
            let leaves = try S.range(bytes, CompiledSection.family(true, "leaves"))
            S.put(UInt32(1 << 30), at: leaves.lowerBound, in: &bytes)
        }
        #expect(error?.message.contains("ipv4.leaves") == true, "\(String(describing: error))")
    }

    @Test func matchStartThatDecreases() throws {
        let error = try Self.rejected { bytes in
            let r = try S.range(bytes, CompiledSection.family(true, "matchStart"))
            S.put(UInt32.max, at: r.lowerBound + 4, in: &bytes)
        }
        #expect(error?.message.contains("ipv4.matchStart") == true, "\(String(describing: error))")
    }

    @Test func tagIDAboveTheTagCount() throws {
        let error = try Self.rejected { bytes in
            let r = try S.range(bytes, CompiledSection.family(false, "matches"))
            S.put(UInt32(Self.file.tags.count), at: r.lowerBound, in: &bytes)
        }
        #expect(error?.message.contains("ipv6.matches") == true, "\(String(describing: error))")
    }

    @Test func parentAfterItsChild() throws {
        let error = try Self.rejected { bytes in
            let r = try S.range(bytes, CompiledSection.family(true, "parent"))
            S.put(UInt32(5), at: r.lowerBound + 4 * 3, in: &bytes)
        }
        #expect(error?.message.contains("ipv4.parent") == true, "\(String(describing: error))")
    }

    @Test func invalidUTF8InAName() throws {
        let error = try Self.rejected { bytes in
            let r = try S.range(bytes, .strings)
            bytes[r.lowerBound] = 0xFF
        }
        #expect(error?.message.contains("UTF-8") == true, "\(String(describing: error))")
    }

    @Test func nonCanonicalPrefix() throws {
        let error = try Self.rejected { bytes in
            let r = try S.range(bytes, .modelIPv4Lengths)
            bytes[r.lowerBound] = 33
        }
        #expect(error?.message.contains("model.ipv4.addresses") == true, "\(String(describing: error))")
    }

    @Test func sectionPastTheEndSaysTruncated() throws {
        let error = try Self.rejected { bytes in
            // Entry 0's length (offset + 16 in the entry).
            S.put(UInt64(bytes.count), at: L.headerSize + 16, in: &bytes)
        }
        #expect(error?.kind == .truncated)
        #expect(error?.message.hasPrefix("truncated: section 'cloud' ends at byte") == true, "\(String(describing: error))")
    }

    @Test func overlappingSections() throws {
        let error = try Self.rejected { bytes in
            // Section 1 starts where section 0 (the non-empty cloud name) does.
            let first = S.get(UInt64.self, at: L.headerSize + 8, in: bytes)
            S.put(first, at: L.headerSize + L.sectionEntrySize + 8, in: &bytes)
        }
        #expect(error?.kind == .invalid)
    }

    @Test func duplicateTagNames() throws {
        let error = try Self.rejected { bytes in
            let tags = try S.range(bytes, .tags)
            // Tag 1's name reference := tag 0's.
            for k in 0 ..< 8 { bytes[tags.lowerBound + L.TagRecord.size + k] = bytes[tags.lowerBound + k] }
        }
        #expect(error?.message.contains("same name") == true, "\(String(describing: error))")
    }

    @Test func rootRunsOutOfOrder() throws {
        let error = try Self.rejected { bytes in
            let root = try S.range(bytes, CompiledSection.family(true, "root"))
            try #require(root.count >= 16)
            S.put(UInt32(70_000), at: root.lowerBound + 8, in: &bytes)
        }
        #expect(error?.message.contains("ipv4.root") == true, "\(String(describing: error))")
    }

    /// A family of `flatRootMinimumPrefixes` or more stores its root flat (header flag) and the
    /// loader views it in place; a small one keeps runs. A plain entry above the prefix count in a
    /// flat root is caught at its own slot's byte, and the flag may not be forged onto runs.
    @Test func flatRootIsCheckedInPlace() throws {
        let big = SyntheticServiceTags(.init(tags: 120, prefixes: 6_000, seed: 5)).file
        var bytes = try S.compile(big)
        let flags = S.get(UInt32.self, at: L.Field.flags, in: bytes)
        try #require(flags & L.flagFlatRoot(true) != 0, "the synthetic file's IPv4 family is too small for a flat root")
        #expect(S.get(UInt32.self, at: L.Field.flags, in: Self.bytes) & (L.flagFlatRoot(true) | L.flagFlatRoot(false)) == 0)
        let root = try S.range(bytes, CompiledSection.family(true, "root"))
        #expect(root.count == 4 << StrideTable<IPv4Address>.rootBits)
        let original = bytes
        S.put(UInt32(0x7FFF_FFF0), at: root.lowerBound + 4 * 5, in: &bytes)
        S.reseal(&bytes)
        let error = S.loadError(bytes)
        #expect(error?.message.contains("section 'ipv4.root' element 5: value 2147483632 above the largest value") == true, "\(String(describing: error))")
        #expect(error?.offset == root.lowerBound + 20)
        // The small sample's runs read as a flat root: 2^16 entries expected.
        var forged = Self.bytes
        S.put(S.get(UInt32.self, at: L.Field.flags, in: forged) | L.flagFlatRoot(true), at: L.Field.flags, in: &forged)
        S.reseal(&forged)
        #expect(S.loadError(forged)?.message.contains("ipv4.root") == true)
        // Intact, the flat index answers as the JSON model does (the suite's differential tests
        // compare lookups on real files, which all have flat roots).
        #expect(try S.load(original).get().file.tags == big.tags)
    }

    @Test func errorMessagesGroupOffsets() {
        #expect(CompiledIndexError.grouped(812_344) == "812,344")
        #expect(CompiledIndexError.grouped(7) == "7")
        #expect(CompiledIndexError(.truncated, "x", offset: 1_000, path: "a.stagidx").description == "a.stagidx: byte 1,000: x")
    }
}


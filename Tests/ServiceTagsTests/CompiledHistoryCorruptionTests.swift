@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// A damaged compiled history is rejected with an error (never a crash) or answers as the
/// original; deliberate edits with a recomputed checksum must be stopped by validation or load
/// into something that still answers without trapping.
@Suite struct CompiledHistoryCorruptionTests {
    static let files: [ServiceTagsFile] = {
        var f = HistorySamples.archive(weeks: 3, seed: 2, tags: 6, prefixes: 40).files
        f[1].changeNumber = nil
        return f
    }()
    static let bytes = try! CompiledHistoryTests.compile(files)
    static let queries = HistorySamples.queries(files, count: 30, seed: 8)
    static let everything = TagSelection([TagPattern("*")])

    static func load(_ bytes: ArraySlice<UInt8>) -> Result<CompiledHistory, CompiledIndexError> {
        Array(bytes).withUnsafeBytes { raw in
            do throws(CompiledIndexError) { return .success(try CompiledHistory(bytes: raw)) } catch { return .failure(error) }
        }
    }

    static func answers(_ h: CompiledHistory) -> ([AddressHistory], [TagHistory], [CompiledHistory.File]) {
        (h.addressHistories(queries), h.tagHistories(selecting: everything), h.files)
    }

    @Test func truncatedAtEveryOffsetIsRejected() {
        var accepted: [Int] = []
        for count in 0 ..< Self.bytes.count {
            guard case .failure(let error) = Self.load(Self.bytes[0 ..< count]) else { accepted.append(count); continue }
            if count >= 8 { #expect(error.kind == .truncated || error.kind == .invalid, "\(count): \(error)") }
        }
        #expect(accepted.isEmpty)
    }

    @Test func everyFlippedByteIsRejectedOrHarmless() throws {
        var bytes = Self.bytes
        let original = Self.answers(try Self.load(bytes[...]).get())
        #expect(original.0.contains { $0.wasFound } && bytes.count > 2_000)
        for i in bytes.indices {
            bytes[i] ^= 0x5A
            if case .success(let loaded) = Self.load(bytes[...]) {
                let got = Self.answers(loaded)
                #expect(got.0 == original.0 && got.1 == original.1 && got.2 == original.2, "flip at \(i)")
            }
            bytes[i] ^= 0x5A
        }
    }

    /// Past the checksum, validation must keep every edit safe to answer from.
    @Test func resealedEditsNeverTrap() throws {
        var bytes = Self.bytes
        var rejected = 0
        for i in stride(from: 24, to: bytes.count, by: 3) {
            let saved = bytes[i]
            bytes[i] ^= 0xA5
            CompiledHistory.resealChecksum(&bytes)
            switch Self.load(bytes[...]) {
            case .failure(let error): rejected += 1; #expect(error.kind != .checksum)
            case .success(let loaded): _ = Self.answers(loaded)
            }
            bytes[i] = saved
        }
        #expect(rejected > 0)
        CompiledHistory.resealChecksum(&bytes)
        #expect(bytes == Self.bytes)
    }

    @Test func wrongVersionSaysSo() {
        var bytes = Self.bytes
        bytes[8] = 9
        CompiledHistory.resealChecksum(&bytes)
        guard case .failure(let error) = Self.load(bytes[...]) else { Issue.record("accepted"); return }
        #expect(error.message == "compiled history format version 9; this stag reads version 1; recompile with stag compile --archive")
    }
}

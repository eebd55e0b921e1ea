@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The loader splits its work over two threads for a large index (`CompiledIndex.init(memory:
/// path:parallel:)`); the split must not change what a load gives: the same index, or the same
/// first error (kind, message, byte offset), as the serial order.
@Suite struct CompiledIndexParallelLoadTests {
    typealias S = CompiledIndexTestSupport

    static let file = try! ServiceTagsFile(readingFileAt: FixturePaths.sample)
    static let bytes = try! S.compile(file)

    static func load(_ bytes: [UInt8], parallel: Bool) -> Result<CompiledIndex, CompiledIndexError> {
        bytes.withUnsafeBytes { raw in
            do throws(CompiledIndexError) {
                return .success(try CompiledIndex(memory: CompiledIndexMemory(copying: raw), path: nil, parallel: parallel))
            } catch {
                return .failure(error)
            }
        }
    }

    static func outcome(_ r: Result<CompiledIndex, CompiledIndexError>) -> String {
        switch r {
        case .success(let index): "ok \(index.index.tagMetadata.map(\.name)) \(index.index.ipv4.prefixes.count) \(index.index.ipv6.prefixes.count)"
        case .failure(let error): "\(error.kind) \(error)"
        }
    }

    @Test func intactIndexLoadsTheSameEitherWay() throws {
        let serial = try Self.load(Self.bytes, parallel: false).get(), parallel = try Self.load(Self.bytes, parallel: true).get()
        #expect(parallel.file.tags == serial.file.tags)
        var rng = SplitMix64(seed: 9)
        for a in IndexRandomData.probes(Self.file.tags, &rng, random: 200) {
            #expect(S.answers(parallel.index, a) == S.answers(serial.index, a), "\(a)")
        }
    }

    /// Bytes flipped across the whole file, with the checksum left stale (the checksum's error
    /// must win) and resealed (validation's error, from whichever thread found it, in order).
    @Test func damagedIndexesFailTheSameEitherWay() {
        let step = max(1, Self.bytes.count / 400)
        var rejected = 0
        for i in stride(from: 0, to: Self.bytes.count, by: step) {
            for reseal in [false, true] {
                var bytes = Self.bytes
                bytes[i] ^= 0x5A
                if reseal && i >= CompiledIndexLayout.headerSize { S.reseal(&bytes) }
                let serial = Self.outcome(Self.load(bytes, parallel: false))
                #expect(Self.outcome(Self.load(bytes, parallel: true)) == serial, "flip at \(i), resealed \(reseal)")
                if serial.hasPrefix("ok") == false { rejected += 1 }
            }
        }
        #expect(rejected > 400)
    }

    /// Two damages at once, one found by each thread's part: the earlier one in the serial order
    /// is reported whichever thread finishes first.
    @Test func twoDamagesReportTheFirstInSerialOrder() throws {
        var bytes = Self.bytes
        let modelPrefix = try S.range(bytes, .modelIPv6Lengths), v6Nodes = try S.range(bytes, CompiledSection.family(false, "key"))
        try #require(!modelPrefix.isEmpty && !v6Nodes.isEmpty)
        bytes[modelPrefix.lowerBound] = 200  // a length over 128: not a canonical prefix
        bytes[v6Nodes.lowerBound] ^= 0xFF    // key bits past the node's depth
        S.reseal(&bytes)
        let serial = Self.outcome(Self.load(bytes, parallel: false))
        #expect(serial.contains("model.ipv6.addresses"), "\(serial)")
        #expect(Self.outcome(Self.load(bytes, parallel: true)) == serial)
    }
}

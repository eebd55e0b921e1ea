import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `observingBytes:` (what `stag info --data -` hashes): the observer sees exactly the input bytes,
/// in order, once each, whatever the chunk size, trailing white space included.
@Suite struct ReaderByteObserverTests {
    /// Reads `bytes` from a temporary file with `chunkSize`-byte reads, collecting what the observer sees.
    static func observe(_ bytes: [UInt8], chunkSize: Int) throws -> (Result<ServiceTagsFile, ServiceTagsError>, [UInt8], emptyCalls: Int) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("observer-\(UUID().uuidString).json")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var seen: [UInt8] = []
        var calls = 0
        var emptyCalls = 0
        let result = Result { () throws(ServiceTagsError) in
            try ServiceTagsFile(fileDescriptor: fd, path: "t.json", chunkSize: chunkSize, observingBytes: { chunk in
                seen.append(contentsOf: chunk)
                calls += 1
                if chunk.isEmpty { emptyCalls += 1 }
            })
        }
        #expect(calls > 0)
        return (result, seen, emptyCalls)
    }

    @Test(arguments: [1, 7, 64, 4096, 1 << 18])
    func seesEveryByteOnceInOrder(_ chunkSize: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: FixturePaths.sample))) + Array(" \n\t\r\n".utf8)
        let (result, seen, emptyCalls) = try Self.observe(bytes, chunkSize: chunkSize)
        #expect(try result.get().tags.count == 40)
        #expect(seen == bytes)
        #expect(emptyCalls == 0, "called only for reads that returned bytes")
    }

    /// After an error the observer has seen a prefix of the input that reaches the error's offset.
    @Test func stopsAtTheReadThatRevealedAnError() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: FixturePaths.sample)))
        let cut = Array(bytes.prefix(bytes.count / 2)) + Array("!garbage".utf8)
        let (result, seen, _) = try Self.observe(cut, chunkSize: 512)
        guard case .failure(let error) = result else {
            Issue.record("a broken document parsed")
            return
        }
        #expect(seen == Array(cut.prefix(seen.count)))
        #expect(seen.count > error.location?.offset ?? Int.max)
    }
}

import Foundation
import ServiceTags

/// Fixture paths, file bytes and small builders shared by the `Reader*` suites.
enum ReaderTestSupport {
    /// The package root, from this file's path (`<root>/Tests/ServiceTagsTests/…`).
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func fixturePath(_ name: String) -> String { packageRoot + "/Fixtures/reader/" + name }

    static func bytes(atPath path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return [UInt8](data)
    }

    static func fixture(_ name: String) throws -> [UInt8] { try bytes(atPath: fixturePath(name)) }

    /// The directory with the real downloads, or `nil` (tests then skip with a notice).
    static var realDataDirectory: String? {
        let candidates = [packageRoot + "/../shared/data/servicetags", "/work/shared/data/servicetags"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Reads `bytes` through a file descriptor of a temporary file with `chunkSize`-byte reads.
    static func readThroughFile(_ bytes: [UInt8], chunkSize: Int, path: String = "test.json") throws(ServiceTagsError) -> ServiceTagsFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).json")
        FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        precondition(fd >= 0, "cannot open the temporary file")
        defer { close(fd) }
        return try ServiceTagsFile(fileDescriptor: fd, path: path, chunkSize: chunkSize)
    }

    /// The error reading `bytes` in memory, or `nil` if it parsed.
    static func error(reading bytes: [UInt8], path: String = "test.json") -> ServiceTagsError? {
        do {
            _ = try ServiceTagsFile(bytes: bytes, path: path)
            return nil
        } catch {
            return error
        }
    }

    static func v4(_ text: String) -> IPv4Prefix {
        guard case .v4(let p) = try! IPPrefix(parsing: text) else { fatalError("not IPv4: \(text)") }
        return p
    }

    static func v6(_ text: String) -> IPv6Prefix {
        guard case .v6(let p) = try! IPPrefix(parsing: text) else { fatalError("not IPv6: \(text)") }
        return p
    }
}

/// SplitMix64: a tiny seeded generator so random tests repeat exactly.
struct ReaderSplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

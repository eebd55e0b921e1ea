import Foundation
import ServiceTags
import ServiceTagsTestSupport

/// Fixture paths, file bytes and small builders shared by the `Reader*` suites.
enum ReaderTestSupport {
    static func fixturePath(_ name: String) -> String { FixturePaths.fixtures + "/reader/" + name }

    static func bytes(atPath path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return [UInt8](data)
    }

    static func fixture(_ name: String) throws -> [UInt8] { try bytes(atPath: fixturePath(name)) }

    /// Reads `bytes` through a file descriptor of a temporary file with `chunkSize`-byte reads.
    static func readThroughFile(_ bytes: [UInt8], chunkSize: Int, path: String = "test.json") throws(ServiceTagsError) -> ServiceTagsFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).json")
        precondition(FileManager.default.createFile(atPath: url.path, contents: Data(bytes)), "cannot create \(url.path)")
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
}

import Foundation
@testable import stag
import Testing

/// `AtomicFile`, the `-o FILE` writer: complete files or nothing, never a stray temporary file.
@Suite struct AtomicFileTests {
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    static func contents(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    static func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func writesTheWholeFileAndLeavesNothingElse() throws {
        try Self.withDirectory { dir in
            let bytes = Array((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try AtomicFile.write(bytes, to: dir + "/out.bin", command: "test")
            #expect(try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin"))) == bytes)
            #expect(try Self.contents(dir) == ["out.bin"])
            // A fresh file gets 0666 minus the umask, as a shell redirection would.
            let mask = umask(0)
            umask(mask)
            #expect(try Self.permissions(dir + "/out.bin") == 0o666 & ~Int(mask))
        }
    }

    @Test func anUncommittedWriterLeavesTheTargetAsItWas() throws {
        try Self.withDirectory { dir in
            let target = dir + "/report.md"
            try "old report\n".write(toFile: target, atomically: false, encoding: .utf8)
            do {
                let file = try AtomicFile(path: target, command: "test")
                try file.write("half of a new rep")
                #expect(try Self.contents(dir).count == 2) // the temporary file sits beside the target
                file.abort()
            }
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "old report\n")
            #expect(try Self.contents(dir) == ["report.md"])
            do {
                let dropped = try AtomicFile(path: target, command: "test")
                try dropped.write("dropped without commit")
            } // deinit removes the temporary file
            #expect(try Self.contents(dir) == ["report.md"])
        }
    }

    @Test func replacingAFileKeepsItsPermissions() throws {
        try Self.withDirectory { dir in
            let target = dir + "/rules.nft"
            try "v1\n".write(toFile: target, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
            try AtomicFile.write(Array("v2\n".utf8), to: target, command: "test")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "v2\n")
            #expect(try Self.permissions(target) == 0o640)
        }
    }

    @Test func aMissingDirectoryIsAnErrorNamingThePath() throws {
        try Self.withDirectory { (dir: String) throws in
            let target = dir + "/no/such/dir/out.json"
            let result = Result { () throws(CLIError) in try AtomicFile.write([1, 2, 3], to: target, command: "test") }
            guard case .failure(let error) = result else {
                Issue.record("writing into a missing directory must fail")
                return
            }
            #expect(error.exitCode == 2 && error.message.contains(target))
            #expect(try Self.contents(dir).isEmpty)
        }
    }
}

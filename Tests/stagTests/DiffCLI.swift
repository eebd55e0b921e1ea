import Foundation

/// Running the built `stag` binary for the diff CLI tests.
enum DiffCLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, from this file's path (`Tests/stagTests/DiffCLI.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Fixtures/diff").appendingPathComponent(name).path
    }

    /// The `stag` executable in the build products directory, beside the test bundle.
    static let executable: URL? = {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first { candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        return candidates.map { $0.appendingPathComponent("stag") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `stag args...`, with standard input from the file `stdin` (else empty).
    static func run(_ args: [String], stdin: String? = nil) throws -> Result {
        guard let executable else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "stag executable"]) }
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }
            ?? FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Whether `result` is the reader stub's failure; prints a notice so a skipped test is visible.
    static func readerIsStub(_ result: Result, function: String = #function) -> Bool {
        guard result.status == 2 && result.stderr.contains("stag: stub") else { return false }
        print("DiffCLITests.\(function): the ServiceTags reader is still a stub; skipping until it lands")
        return true
    }

    /// A fresh empty directory for output files.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }
}

import Foundation
import ExportTargetModels
import ServiceTagsTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `stag` binary for every end-to-end test in this target (the one process runner:
/// diff, export, fetch, lookup, tags, info and the top-level conventions all go through it).
///
/// The child gets a clean environment: no `STAG_*`, no `XDG_CACHE_HOME`, no proxies, and `HOME`
/// pointing at an empty scratch directory, so no test can read the real cache, the user's data or
/// the network by accident. Output goes to files (no pipe can fill up and block the child), and a
/// watchdog kills a child that runs longer than 30 s so a hang fails instead of stalling the suite.
/// Writes to a child's standard input never raise SIGPIPE in the test process.
enum StagCLI {
    struct Result {
        var status: Int32
        /// True when the child was killed by a signal (a crash, or the watchdog); `status` is then
        /// the signal number.
        var signaled: Bool
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
        var seconds: Double
    }

    /// What the child reads on standard input.
    enum Input {
        /// `/dev/null`.
        case none
        /// The file at this path.
        case file(String)
        /// These bytes through a pipe (not seekable, like `cat file | stag ...`), written by a
        /// separate thread while the child runs.
        case bytes(Data)
    }

    /// The package root (`FixturePaths.packageRoot`) as a URL.
    static let packageRoot = URL(fileURLWithPath: FixturePaths.packageRoot)

    /// `<root>/Fixtures/<relative>`.
    static func fixture(_ relative: String) -> String { packageRoot.appendingPathComponent("Fixtures/" + relative).path }

    /// The build products directory: the test bundle sits beside `stag` and `stag-fetch`.
    static let productsDirectory: URL = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On some layouts the test binary sits inside the .xctest bundle directory.
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("stag").path) { return dir }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    static var executable: URL { productsDirectory.appendingPathComponent("stag") }

    /// Runs `stag arguments...` to completion.
    /// - Parameters:
    ///   - environment: added to (or replacing in) the clean environment described above.
    ///   - binary: another copy of `stag` to run (fetch tests move it away from `stag-fetch`).
    ///   - directory: the child's working directory (default: the test's).
    ///   - stdoutPath: where standard output goes instead of being captured (e.g. `/dev/full`).
    static func run(_ arguments: [String], stdin: Input = .none, environment: [String: String] = [:],
                    binary: URL? = nil, directory: String? = nil, stdoutPath: String? = nil) throws -> Result {
        let scratch = try temporaryDirectory(prefix: "stag-run")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input: ChildProcess.Input
        switch stdin {
        case .none: input = .none
        case .file(let path): input = .file(path)
        case .bytes(let data): input = .bytes(data)
        }
        let start = Date()
        let r = try ChildProcess.run((binary ?? executable).path, arguments,
                                     environment: cleanEnvironment(home: scratch.path, adding: environment),
                                     directory: directory, stdin: input, stdoutPath: stdoutPath, timeout: 30)
        return Result(status: r.status, signaled: r.signaled, stdout: String(decoding: r.stdout, as: UTF8.self),
                      stderr: String(decoding: r.stderr, as: UTF8.self), stdoutBytes: r.stdout,
                      seconds: Date().timeIntervalSince(start))
    }

    /// A fresh empty directory; the caller removes it.
    static func temporaryDirectory(prefix: String = "stag-test") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func cleanEnvironment(home: String, adding extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("STAG_") { env[key] = nil }
        for key in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
                    "XDG_CACHE_HOME"] { env[key] = nil }
        env["HOME"] = home
        env["STAG_FETCH_BACKOFF_MS"] = "5"
        for (k, v) in extra { env[k] = v }
        return env
    }

}

extension StagCLI {
    /// A running `stag` whose standard input the test writes line by line, reading its output as it
    /// comes: for checking that `stag lookup -` answers each line before the next one is written.
    final class Session {
        let pid: pid_t
        private var input: Int32
        private let output: FileHandle
        private var pending = Data()
        private let scratch: URL
        private let watchdog: ChildProcess.Watchdog
        private var exited = false

        init(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 10) throws {
            scratch = try StagCLI.temporaryDirectory(prefix: "stag-session")
            let toChild = try ChildProcess.pipe(), fromChild = try ChildProcess.pipe()
            let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(null); close(toChild.0); close(fromChild.1) }
            pid = try ChildProcess.spawn(StagCLI.executable.path, arguments,
                                         environment: StagCLI.cleanEnvironment(home: scratch.path, adding: environment),
                                         stdin: toChild.0, stdout: fromChild.1, stderr: null)
            input = toChild.1
            output = FileHandle(fileDescriptor: fromChild.0, closeOnDealloc: true)
            watchdog = ChildProcess.Watchdog(pid: pid, seconds: timeout)
        }

        deinit {
            if !exited {
                kill(pid, SIGKILL)
                _ = ChildProcess.wait(pid)
            }
            watchdog.cancel()
            if input >= 0 { close(input) }
            try? FileManager.default.removeItem(at: scratch)
        }

        /// Writes one line; false once the child has gone.
        @discardableResult
        func send(_ line: String) -> Bool { ChildProcess.writeAll(Data((line + "\n").utf8), to: input) }

        /// The next `count` output lines, waiting for them; fewer only if the child exits (or the
        /// watchdog kills it) first.
        func readLines(_ count: Int) -> [String] {
            var lines: [String] = []
            while lines.count < count {
                if let nl = pending.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: pending[pending.startIndex..<nl], as: UTF8.self))
                    pending = Data(pending[(nl + 1)...])
                    continue
                }
                let chunk = output.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
            }
            return lines
        }

        /// Closes standard input and waits for the exit status.
        func finish() throws -> Int32 {
            close(input)
            input = -1
            let (status, _) = ChildProcess.wait(pid)
            exited = true
            watchdog.cancel()
            return status
        }
    }
}

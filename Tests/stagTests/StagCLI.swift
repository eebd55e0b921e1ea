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
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)

        let process = Process()
        process.executableURL = binary ?? executable
        process.arguments = arguments
        process.environment = cleanEnvironment(home: scratch.path, adding: environment)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = try FileHandle(forWritingTo: stdoutPath.map { URL(fileURLWithPath: $0) } ?? out)
        process.standardError = try FileHandle(forWritingTo: err)
        var feeder: Thread?
        switch stdin {
        case .none: process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        case .file(let path): process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        case .bytes(let data):
            let pipe = Pipe()
            process.standardInput = pipe
            feeder = Thread { writeIgnoringBrokenPipe(data, to: pipe.fileHandleForWriting) }
        }
        let start = Date()
        try ProcessLaunch.run(process)
        feeder?.start()
        let watchdog = watchdog(process, seconds: 30)
        process.waitUntilExit()
        watchdog.cancel()
        let stdout = try Data(contentsOf: out)
        return Result(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self),
                      stdoutBytes: stdout, seconds: Date().timeIntervalSince(start))
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

    /// Writes `data` and closes the pipe.
    private static func writeIgnoringBrokenPipe(_ data: Data, to handle: FileHandle) {
        _ = write(data, to: handle.fileDescriptor)
        try? handle.close()
    }

    /// Writes all of `data` to `fd`; false if the reader has gone (EPIPE) or another error.
    ///
    /// A child that stops reading early (an error half-way through its input) closes its end of
    /// the pipe. SIGPIPE is blocked in the calling thread for the write, and a SIGPIPE it raised is
    /// taken off the pending set before the mask is restored, so the test process is never killed.
    static func write(_ data: Data, to fd: Int32) -> Bool {
        var pipeSignal = sigset_t(), previous = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    break
                }
                offset += n
            }
        }
        if !ok {
            var none = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
        }
        return ok
    }

    /// Kills `process` if it still runs after `seconds`. SIGKILL, because children started from the
    /// test runner's threads inherit a signal mask that blocks SIGTERM (`Process.terminate()` would
    /// leave a hung child, and the test, waiting forever).
    static func watchdog(_ process: Process, seconds: Double) -> DispatchWorkItem {
        let item = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        return item
    }
}

extension StagCLI {
    /// A running `stag` whose standard input the test writes line by line, reading its output as it
    /// comes: for checking that `stag lookup -` answers each line before the next one is written.
    final class Session {
        let process = Process()
        private let input = Pipe(), output = Pipe()
        private var pending = Data()
        private let scratch: URL
        private var watchdog: DispatchWorkItem?

        init(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 10) throws {
            scratch = try StagCLI.temporaryDirectory(prefix: "stag-session")
            process.executableURL = StagCLI.executable
            process.arguments = arguments
            process.environment = StagCLI.cleanEnvironment(home: scratch.path, adding: environment)
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try ProcessLaunch.run(process)
            watchdog = StagCLI.watchdog(process, seconds: timeout)
        }

        deinit {
            watchdog?.cancel()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: scratch)
        }

        /// Writes one line; false once the child has gone.
        @discardableResult
        func send(_ line: String) -> Bool { StagCLI.write(Data((line + "\n").utf8), to: input.fileHandleForWriting.fileDescriptor) }

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
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
            }
            return lines
        }

        /// Closes standard input and waits for the exit status.
        func finish() throws -> Int32 {
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}

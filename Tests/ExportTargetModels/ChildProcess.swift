import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs child processes for the tests with `posix_spawn`, not Foundation's `Process`.
///
/// swift-corelibs-foundation 6.3's `Process.run()` crashes intermittently (SIGSEGV in memcpy): it
/// copies the whole 256-byte `d_name` of each `/proc/self/fd` entry, reading past glibc's buffer when
/// a record sits at its end (swift-corelibs-foundation PR #5472). Our suites spawn hundreds of
/// children and crashed about one run in five. This runner also gives each child an empty signal
/// mask (children of the test runner's threads otherwise inherit a blocked SIGTERM) and creates
/// every descriptor close-on-exec, so a child never holds another test's pipe open.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        /// Whether the child was ended by a signal (then `status` is the signal number).
        public var signaled: Bool
        public var stdout: Data
        public var stderr: Data
    }

    public enum Input: Sendable {
        /// `/dev/null`.
        case none
        /// Written through a pipe by a helper thread, then closed.
        case bytes(Data)
        /// The file at this path.
        case file(String)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `executable` with `arguments`, the given descriptors as its standard input, output
    /// and error, `environment` (default: this process's) and working `directory`.
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             directory: String? = nil, stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // Descriptors other code opened without close-on-exec (Foundation's own file writes) must not
        // reach the child: a script written by one test and still open for writing in another
        // test's child cannot be executed ("text file busy"). Foundation's Process closes them too.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // No posix_spawn_file_actions_addchdir_np in Swift's Glibc module: a shell changes directory.
        let program = directory == nil ? executable : "/bin/sh"
        let words = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, executable] } ?? [executable]
        let argv = (words + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        spawnLock.lock()
        let rc = posix_spawn(&pid, program, &actions, &attributes, argv, env)
        spawnLock.unlock()
        if rc != 0 { throw Failure(description: "cannot run \(executable): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for `pid` to end.
    public static func wait(_ pid: pid_t) -> (status: Int32, signaled: Bool) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? ((status >> 8) & 0xFF, false) : (signal, true)
    }

    /// Runs to completion and captures standard output (unless sent to `stdoutPath`) and error.
    /// A child still running after `timeout` seconds is killed (SIGKILL).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil, stdin: Input = .none, stdoutPath: String? = nil,
                           timeout: Double = 60) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stag-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = stdoutPath ?? scratch.appendingPathComponent("out").path, errPath = scratch.appendingPathComponent("err").path
        let out = try open(outPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        defer { close(out) }
        let err = try open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        defer { close(err) }
        var input: Int32 = -1, feed: Int32 = -1
        switch stdin {
        case .none: input = try open("/dev/null", O_RDONLY | O_CLOEXEC)
        case .file(let path): input = try open(path, O_RDONLY | O_CLOEXEC)
        case .bytes:
            (input, feed) = try pipe()
        }
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, directory: directory, stdin: input, stdout: out, stderr: err)
        } catch {
            close(input)
            if feed >= 0 { close(feed) }
            throw error
        }
        close(input)
        var feeder: Thread?
        if case .bytes(let data) = stdin {
            let fd = feed
            feeder = Thread {
                _ = writeAll(data, to: fd)
                close(fd)
            }
            feeder?.start()
        }
        let watchdog = Watchdog(pid: pid, seconds: timeout)
        let (status, signaled) = wait(pid)
        watchdog.cancel()
        let stdout = stdoutPath == nil ? (FileManager.default.contents(atPath: outPath) ?? Data()) : Data()
        return Result(status: status, signaled: signaled, stdout: stdout, stderr: FileManager.default.contents(atPath: errPath) ?? Data())
    }

    /// Writes all of `data` to `fd`; false if the reader has gone (EPIPE) or another error.
    ///
    /// A child that stops reading early (an error half-way through its input) closes its end of
    /// the pipe. SIGPIPE is blocked in the calling thread for the write, and a SIGPIPE it raised is
    /// taken off the pending set before the mask is restored, so the test process is never killed.
    public static func writeAll(_ data: Data, to fd: Int32) -> Bool {
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

    /// Kills a child (SIGKILL) that still runs after a deadline; cancelled once it has been waited
    /// for, so a recycled pid is never hit.
    public final class Watchdog: @unchecked Sendable {
        private let lock = NSLock()
        private var pid: pid_t?

        public init(pid: pid_t, seconds: Double) {
            self.pid = pid
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                lock.lock()
                if let pid = self.pid { kill(pid, SIGKILL) }
                lock.unlock()
            }
        }

        public func cancel() {
            lock.lock()
            pid = nil
            lock.unlock()
        }
    }

    /// Serialises spawning with the creation of pipes: `pipe2` is not in Swift's Glibc module, and
    /// without the lock a child spawned between `pipe()` and `fcntl(FD_CLOEXEC)` would inherit
    /// the other test's pipe end and keep it open.
    private static let spawnLock = NSLock()

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does
    /// not export.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A pipe whose two ends are close-on-exec: (read, write).
    public static func pipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        spawnLock.lock()
        defer { spawnLock.unlock() }
        guard Glibc.pipe(&fds) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    private static func open(_ path: String, _ flags: Int32) throws -> Int32 {
        let fd = Glibc.open(path, flags, 0o644)
        if fd < 0 { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
        return fd
    }
}

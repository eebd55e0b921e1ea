#if canImport(Glibc)
import Glibc
#endif

/// A dependency-free benchmark harness: `ContinuousClock`, best-of / median of repeated runs, and a
/// sink that keeps the optimiser from deleting measured work.
enum Harness {
    nonisolated(unsafe) static var sink: UInt64 = 0

    /// Runs `body` `runs` times (after one warm-up) and returns the per-run durations in seconds.
    static func time(runs: Int, _ body: () -> Void) -> [Double] {
        body()
        var out: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let start = clock.now
            body()
            out.append(seconds(clock.now - start))
        }
        return out.sorted()
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }

    static func median(_ xs: [Double]) -> Double { xs[xs.count / 2] }

    /// Peak resident set size of this process so far, in MiB.
    static func peakMemoryMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        if fd < 0 { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    static func exists(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// Runs a program to completion with stdout/stderr sent to /dev/null; returns wall seconds, the
    /// exit status and the peak RSS in MiB (`wait4`'s `ru_maxrss`, KiB on Linux).
    static func runProcess(_ argv: [String]) -> (seconds: Double, status: Int32, peakMiB: Double) {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let clock = ContinuousClock()
        let start = clock.now
        guard posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else { return (0, -1, 0) }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        return (seconds(clock.now - start), (status >> 8) & 0xFF, Double(usage.ru_maxrss) / 1024)
    }

    /// The peak RSS in MiB of `argv` run to completion, through GNU time (`/usr/bin/time -f %M`);
    /// nil without it. Not `runProcess`'s `ru_maxrss`: `posix_spawn` shares this process's memory
    /// until the exec, and Linux carries that high-water mark into the child's figure, so a child
    /// of this ~90 MiB benchmark would report at least ~90 MiB whatever it used.
    static func peakRSS(_ argv: [String]) -> Double? {
        let gnuTime = "/usr/bin/time"
        guard access(gnuTime, X_OK) == 0 else { return nil }
        let out = "/tmp/stag-bench-rss-\(getpid())"
        defer { unlink(out) }
        guard runProcess([gnuTime, "-f", "%M", "-o", out] + argv).status == 0 || exists(out),
              let f = fopen(out, "r") else { return nil }
        defer { fclose(f) }
        var kib: Int = 0
        guard withUnsafeMutablePointer(to: &kib, { p in withVaList([p]) { vfscanf(f, "%ld", $0) } }) == 1 else { return nil }
        return Double(kib) / 1024
    }

    /// Directory of this executable (the build products directory, where `stag` also lives).
    static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "." }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }
}

/// A Markdown table printed at the end, so the README can show it as is.
struct Report {
    var rows: [(String, String, String)] = []
    mutating func add(_ what: String, _ value: String, _ target: String = "") {
        rows.append((what, value, target))
        Output.err("  \(what): \(value)")
    }
    func markdown() -> String {
        var s = "| measurement | result | target |\n|---|---:|---|\n"
        for r in rows { s += "| \(r.0) | \(r.1) | \(r.2) |\n" }
        return s
    }
}

enum Output {
    /// All of `bytes` to standard output; false if a write failed.
    static func out(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    static func err(_ s: String) {
        let line = Array((s + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

func format(_ x: Double, _ digits: Int = 1) -> String {
    var scaled = x
    for _ in 0..<digits { scaled *= 10 }
    let r = (scaled).rounded()
    var s = String(Int(r))
    if digits > 0 {
        while s.count <= digits { s = "0" + s }
        s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
    }
    return s
}

import Foundation

/// Starts child processes one at a time.
///
/// swift-corelibs-foundation's `Process.run()` is not safe to call from several threads at once:
/// Swift Testing runs tests in parallel, and two launches racing crashed the test process with
/// SIGSEGV inside `Process.run()` (memcpy) about one run in five. Launching is serialised; the
/// children still run concurrently.
public enum ProcessLaunch {
    private static let lock = NSLock()

    public static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}

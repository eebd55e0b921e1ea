#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Two independent computations at once: `second` on a thread of its own, `first` on the
/// caller's, for the index builders (the IPv4 and IPv6 families share nothing). Inline, one after
/// the other, when `parallel` is false (small inputs, where a thread costs more than it saves),
/// on one core, or when no thread can be started: the results are the same either way.
///
/// - Precondition: `first` and `second` share no mutable state.
/// - Complexity: that of the two bodies; the thread costs ~20-50 µs (`HelperThread`).
func concurrently<A, B>(parallel: Bool = true, _ first: () -> A, _ second: @escaping () -> B) -> (A, B) {
    let task = BackgroundTask(second)
    guard parallel, task.start() else { return (first(), second()) }
    let a = first()
    return (a, task.join())
}

/// `concurrently`'s thread: the body, and its result, written by the thread and read after the join.
private final class BackgroundTask<Result>: @unchecked Sendable {
    private let body: () -> Result
    private var result: Result? = nil
    #if canImport(Glibc) || canImport(Musl)
    private var thread = pthread_t()
    #endif

    init(_ body: @escaping () -> Result) { self.body = body }

    private func run() { result = body() }

    /// Starts the thread; false on one core or when the system refuses one.
    func start() -> Bool {
        #if canImport(Glibc) || canImport(Musl)
        guard HelperThread.onlineCores > 1, let thread = HelperThread.start({ [self] in run() }) else { return false }
        self.thread = thread
        return true
        #else
        return false
        #endif
    }

    /// Waits for the thread started by `start()`, then gives its result.
    func join() -> Result {
        #if canImport(Glibc) || canImport(Musl)
        HelperThread.join(thread)
        #endif
        return result!
    }
}

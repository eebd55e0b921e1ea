#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// The few threading primitives the streaming commands need, on Glibc pthreads (the CLI has no
/// Foundation, and `Synchronization.Mutex` has no condition variable).
enum Threads {
    /// Online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    static var onlineCores: Int { HelperThread.onlineCores }

    /// Starts a thread running `body`, placed off the caller's core (`HelperThread`); nil if the
    /// system refuses one (the caller works without it).
    static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? { HelperThread.start(body) }

    static func join(_ thread: pthread_t) { HelperThread.join(thread) }
}

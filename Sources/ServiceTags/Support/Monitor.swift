#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex with one condition variable (`Synchronization.Mutex` has none), for the
/// threads that hand work to each other: `Handoff`, the streaming commands' block pipeline.
/// Heap-allocated: pthread objects must not move.
public final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    public func withLock<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Waits until `ready()` holds; call only inside `withLock`.
    public func wait(until ready: () -> Bool) { while !ready() { pthread_cond_wait(condition, mutex) } }

    /// Wakes every waiter; call inside `withLock` after changing what they wait for.
    public func broadcast() { pthread_cond_broadcast(condition) }
}

#if canImport(Glibc)
import Glibc
#endif

/// The few threading primitives the streaming commands need, on Glibc pthreads (the CLI has no
/// Foundation, and `Synchronization.Mutex` has no condition variable).
enum Threads {
    /// Online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    static var onlineCores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    private final class Body { let run: () -> Void; init(_ run: @escaping () -> Void) { self.run = run } }

    /// Starts a thread running `body`; nil if the system refuses one (the caller works without it).
    static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            Unmanaged<Body>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, box)
        if rc != 0 { Unmanaged<Body>.fromOpaque(box).release(); return nil }
        return thread
    }

    static func join(_ thread: pthread_t) { pthread_join(thread, nil) }
}

/// A pthread mutex with one condition variable. Heap-allocated: pthread objects must not move.
final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func withLock<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Waits until `ready()` holds; call only inside `withLock`.
    func wait(until ready: () -> Bool) { while !ready() { pthread_cond_wait(condition, mutex) } }

    /// Wakes every waiter; call inside `withLock` after changing what they wait for.
    func broadcast() { pthread_cond_broadcast(condition) }
}

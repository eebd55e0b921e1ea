#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
#if canImport(Glibc) || canImport(Musl)
import CThreadPlacement

/// The one way stag starts a thread: a helper that works beside its creator (the checksum while
/// an index is validated, the second family of a build, the streaming commands' workers).
///
/// Started through `stag_thread_start`, which places it first on a core other than the caller's:
/// left to itself, Linux often queues a new thread behind a creator that keeps computing until the
/// next scheduler tick (2-4 ms on the machines stag is measured on, against the ~1 ms a
/// compiled index's checksum takes).
public enum HelperThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; nil if the system refuses one (the caller then does the work
    /// itself). Join it with `join(_:)`.
    public static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let started = stag_thread_start(&thread, { argument in
            Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return nil
        }
        return thread
    }

    /// Waits for a thread `start` returned.
    public static func join(_ thread: pthread_t) { pthread_join(thread, nil) }

    /// Online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1, read once per process
    /// (a statically linked glibc reads /sys/devices/system/cpu/online on every call).
    public static let onlineCores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
#endif

#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// SHA-256 of a byte stream, hashed on a thread of its own while the caller goes on (parsing):
/// hashing a 4 MB weekly file takes ~17 ms, longer than parsing it, and was a third of
/// `stag compile`. On one core, or when no thread can be started, it hashes inline.
///
/// Use from one producer thread: `update` for each chunk in order, then `finalizeHex` once (the
/// worker holds the hasher until then).
/// Invariant: the worker hashes chunks in the order `update` queued them; at most
/// `queueLimit` bytes wait, so a fast producer on a huge input is held back, not buffered whole.
final class BackgroundHasher: @unchecked Sendable {
    /// Bytes that may wait for the worker before `update` blocks.
    static let queueLimit = 8 << 20

    private let monitor = Monitor()
    // Guarded by `monitor`.
    private var queue: [[UInt8]] = []
    private var queuedBytes = 0
    private var finished = false
    // Touched by the worker only, or inline when there is no worker; read after the join.
    private var hasher = SHA256()
    private var thread: pthread_t? = nil
    /// Bytes fed so far (producer side).
    private(set) var size = 0

    init() {
        if HelperThread.onlineCores > 1 { thread = HelperThread.start { [self] in work() } }
    }

    /// Feeds the next chunk; copies it when a worker hashes (the caller's buffer is reused).
    /// - Complexity: O(chunk.count).
    func update(_ chunk: UnsafeBufferPointer<UInt8>) {
        size += chunk.count
        guard thread != nil else { return hasher.update(chunk) }
        let copy = Array(chunk)
        monitor.withLock {
            monitor.wait { queuedBytes < Self.queueLimit }
            queue.append(copy)
            queuedBytes += copy.count
            monitor.broadcast()
        }
    }

    /// The digest of every byte fed, as 64 lower-case hex digits; waits for the worker.
    func finalizeHex() -> String {
        if let thread {
            monitor.withLock {
                finished = true
                monitor.broadcast()
            }
            HelperThread.join(thread)
            self.thread = nil
        }
        let done = hasher
        return done.finalizeHex()
    }

    private func work() {
        while true {
            let batch: [[UInt8]] = monitor.withLock {
                monitor.wait { !queue.isEmpty || finished }
                defer {
                    queue.removeAll(keepingCapacity: true)
                    queuedBytes = 0
                    monitor.broadcast()
                }
                return queue
            }
            if batch.isEmpty { return }
            for chunk in batch { chunk.withUnsafeBufferPointer { hasher.update($0) } }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// Computes `load(i)` for `i` in `0 ..< count` on worker threads and hands the results back in
/// index order: for reading and parsing many files (`stag compile --archive`) on every core
/// while the consumer folds them in one at a time, in order.
///
/// Invariants (under `monitor`): `consumed <= claimed <= count`; a worker claims index `i` only
/// while `i < consumed + ahead`, so at most `ahead` results wait (bounded memory, whatever the
/// consumer's pace); `results` holds finished, unconsumed ones. Without a worker (one core, or no
/// thread could start) `next()` loads inline. Call `stop()` when done, also on an early exit:
/// running workers hold the object.
final class OrderedPrefetch<T: Sendable>: @unchecked Sendable {
    private let monitor = Monitor()
    private let count: Int
    private let ahead: Int
    private let load: @Sendable (Int) -> T
    // Guarded by `monitor`.
    private var claimed = 0
    private var consumed = 0
    private var results: [Int: T] = [:]
    private var stopped = false
    private var threads: [pthread_t] = []

    /// - Parameter workers: threads to start (default: one per online core, at most 4).
    init(count: Int, workers: Int = min(HelperThread.onlineCores, 4), load: @escaping @Sendable (Int) -> T) {
        self.count = count
        self.load = load
        ahead = max(1, workers) + 1
        guard workers > 1, count > 1 else { return }
        for _ in 0 ..< workers {
            if let t = HelperThread.start({ [self] in work() }) { threads.append(t) }
        }
    }

    private func work() {
        while true {
            let claim: Int? = monitor.withLock {
                monitor.wait { stopped || claimed >= count || claimed < consumed + ahead }
                guard !stopped, claimed < count else { return nil }
                claimed += 1
                return claimed - 1
            }
            guard let i = claim else { return }
            let result = load(i)
            monitor.withLock {
                results[i] = result
                monitor.broadcast()
            }
        }
    }

    /// The next result in index order, waiting for it if a worker is still on it.
    /// - Precondition: fewer than `count` results were taken.
    func next() -> T {
        if threads.isEmpty {
            precondition(consumed < count)
            consumed += 1
            return load(consumed - 1)
        }
        return monitor.withLock {
            precondition(consumed < count)
            let k = consumed
            monitor.wait { results[k] != nil }
            consumed += 1
            monitor.broadcast()
            return results.removeValue(forKey: k)!
        }
    }

    /// Stops claiming new indices and waits for the workers (each finishes the item it holds).
    func stop() {
        monitor.withLock {
            stopped = true
            monitor.broadcast()
        }
        for t in threads { HelperThread.join(t) }
        threads = []
    }
}

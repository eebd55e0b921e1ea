#if canImport(Glibc)
import Glibc
#endif
import Synchronization
@testable import ServiceTags
import Testing

/// `HelperThread` (started off the caller's core, then free to move) and the two helpers built on
/// it, `concurrently` and `Handoff`: every body runs exactly once and its result arrives.
@Suite struct HelperThreadTests {
    final class Slots: Sendable {
        let values = Mutex<[Int]>([])
    }

    @Test func threadsRunAndJoin() throws {
        let slots = Slots()
        var threads: [pthread_t] = []
        for i in 0 ..< 16 {
            let thread = try #require(HelperThread.start { slots.values.withLock { $0.append(i * i) } })
            threads.append(thread)
        }
        for t in threads { HelperThread.join(t) }
        #expect(slots.values.withLock { $0.sorted() } == (0 ..< 16).map { $0 * $0 })
        #expect(HelperThread.onlineCores >= 1)
    }

    @Test(arguments: [false, true])
    func concurrentlyGivesBothResults(parallel: Bool) {
        let (a, b) = concurrently(parallel: parallel, { (0 ..< 1000).reduce(0, +) }, { (0 ..< 100).map { $0 * 2 } })
        #expect(a == 499_500)
        #expect(b == (0 ..< 100).map { $0 * 2 })
    }

    /// The second body waits for what the first hands over, on one thread or two.
    @Test(arguments: [false, true])
    func handoffPassesTheValue(parallel: Bool) {
        let handoff = Handoff<[Int]>()
        let (a, b) = concurrently(parallel: parallel, { () -> Int in
            handoff.put([1, 2, 3])
            return 7
        }, { handoff.take().reduce(0, +) })
        #expect(a == 7 && b == 6)
        #expect(handoff.take() == [1, 2, 3])
    }
}

/// One value passed from one thread to another: `put` once, `take` waits until it has been put.
/// For `concurrently`'s two bodies when the second needs something the first computes early
/// (the compiled index loader hands its section table to the checksum thread this way, so the
/// thread can start before the table is read).
///
/// - Precondition: `put` is called exactly once, and never after `take` from the same thread
///   (that would wait forever).
final class Handoff<Value>: @unchecked Sendable {
    private let monitor = Monitor()
    private var value: Value? = nil

    func put(_ newValue: Value) {
        monitor.withLock {
            precondition(value == nil, "Handoff.put called twice")
            value = newValue
            monitor.broadcast()
        }
    }

    func take() -> Value {
        monitor.withLock {
            monitor.wait { value != nil }
            return value!
        }
    }
}

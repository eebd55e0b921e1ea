/// Bytes rendered once per key (an index node) and copied on every later use: the streaming
/// commands' answers depend only on the node an address falls in.
///
/// Invariant: key `k` is rendered iff `end[k] != 0` (a rendered fragment may be empty only if
/// `render` returns ""; that is re-rendered each time, which is harmless). One per worker thread.
final class FragmentCache {
    private let store = ByteBuffer(capacity: 1 << 16)
    @exclusivity(unchecked) private var start: [UInt32]
    @exclusivity(unchecked) private var end: [UInt32]

    init(count: Int) {
        start = Array(repeating: 0, count: count)
        end = Array(repeating: 0, count: count)
    }

    /// Appends key `k`'s fragment to `out`, rendering it first if needed.
    @inline(__always)
    func append(_ k: Int, to out: ByteBuffer, render: () -> String) {
        if end[k] == 0 {
            start[k] = UInt32(store.count)
            store.append(render())
            end[k] = UInt32(store.count)
        }
        out.append(store.base + Int(start[k]), Int(end[k] &- start[k]))
    }
}

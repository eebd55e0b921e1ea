/// A growable scratch list of prefixes for the reader's hot loop: one tag's prefixes are appended
/// here, then copied once into an exactly sized `Array`.
///
/// Unlike appending to an `Array` through `inout`, an append is a capacity compare and a store:
/// no uniqueness check (a runtime call) and no bounds check. Invariant: `0 <= count <= capacity`
/// and `base[0..<count]` is initialised (trivially: `P` is `BitwiseCopyable`).
struct PrefixBuffer<P: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<P>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ p: P) {
        if count == capacity { grow() }
        base[count] = p
        count &+= 1
    }

    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<P>.allocate(capacity: capacity * 2)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    mutating func removeAll() { count = 0 }

    /// The prefixes as an array of exactly `count` elements.
    func array() -> [P] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Calls `body` with the prefixes, valid only during the call.
    func withElements<R>(_ body: (UnsafeBufferPointer<P>) -> R) -> R {
        body(UnsafeBufferPointer(start: base, count: count))
    }
}

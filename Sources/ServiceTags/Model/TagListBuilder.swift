/// The tags of a file, read in place into raw storage and moved into one `Array` at the end.
///
/// `Array.append` of a freshly made `ServiceTag` copies it into the array and then destroys the
/// original (the optimiser does not forward the temporary): some twenty reference-count calls per
/// tag for nothing. Here each tag is initialised in its final slot, filled there by
/// `ServiceTagsReader.next(into:)`, and the whole list is moved (a `memcpy`) into the result.
///
/// Invariant: `base[0..<count]` is initialised, `count <= capacity`.
struct TagListBuilder: ~Copyable {
    private var base: UnsafeMutablePointer<ServiceTag>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Adds a tag for the reader to fill and returns its slot, valid until the next call.
    ///
    /// The slot starts as a copy of the previous tag without its prefix arrays: the reader
    /// overwrites every field, and offers the old region, platform, service and features for
    /// reuse (repeated values then share storage); the arrays are emptied so nothing mutable is
    /// shared. (Building a fresh `ServiceTag` costs more: its initialiser copies the whole value
    /// and destroys the original.)
    mutating func appendSlot() -> UnsafeMutablePointer<ServiceTag> {
        if count == capacity { grow() }
        let slot = base + count
        if count > 0 {
            slot.initialize(from: slot - 1, count: 1)
            slot.pointee.ipv4 = []
            slot.pointee.ipv6 = []
        } else {
            slot.initialize(to: ServiceTag(name: ""))
        }
        count &+= 1
        return slot
    }

    mutating func removeLast() {
        count &-= 1
        (base + count).deinitialize(count: 1)
    }

    /// Moves the tags out into an array, leaving the builder empty.
    mutating func take() -> [ServiceTag] {
        let n = count
        count = 0
        guard n > 0 else { return [] }
        return Array(unsafeUninitializedCapacity: n) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: base, count: n)
            initialized = n
        }
    }

    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<ServiceTag>.allocate(capacity: capacity &* 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity &*= 2
    }
}

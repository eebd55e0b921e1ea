/// The tags of a file, read in place into raw storage and moved into one `Array` at the end.
///
/// `Array.append` of a freshly made `ServiceTag` copies it into the array and then destroys the
/// original (the optimiser does not forward the temporary): sixteen reference-count calls per tag
/// for nothing. Here each tag is initialised in its final slot, filled there by
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

    /// Adds a tag for the reader to fill and returns its slot, valid until the next call. It starts
    /// with the previous tag's region, platform, service and features (a reader offers these for
    /// reuse: repeated values then share storage) and empty prefix arrays.
    mutating func appendSlot() -> UnsafeMutablePointer<ServiceTag> {
        if count == capacity { grow() }
        let slot = base + count
        if count > 0 {
            let last = slot - 1
            slot.initialize(to: ServiceTag(name: "", region: last.pointee.region, platform: last.pointee.platform,
                                           systemService: last.pointee.systemService,
                                           networkFeatures: last.pointee.networkFeatures))
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

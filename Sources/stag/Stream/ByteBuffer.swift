#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer over raw memory: the input blocks and output blocks of the streaming
/// commands (`lookup -`, `grep`). No `Array` bookkeeping per append, one `memcpy` per copied run.
///
/// Invariant: `count <= capacity`; `base` holds `capacity` bytes. Not thread-safe: one owner at a
/// time (a block travels from the reader to one worker and back, see `BlockPipeline`).
final class ByteBuffer: @unchecked Sendable {
    // Unchecked: one owner at a time (above), and a dynamic check per append costs more than the copy.
    @exclusivity(unchecked) private(set) var base: UnsafeMutableRawPointer
    @exclusivity(unchecked) private(set) var capacity: Int
    @exclusivity(unchecked) var count = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var freeSpace: Int { capacity - count }

    /// Makes room for `extra` more bytes (doubling, so n appends cost O(n)).
    @inline(__always)
    func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let b = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16)
        b.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = b
        capacity = c
    }

    /// Gives back memory after a huge line (issue 8 item 7: at most one line plus a constant):
    /// an empty buffer larger than `limit` returns to `size`.
    func shrink(ifAbove limit: Int, to size: Int) {
        guard capacity > limit, count <= size else { return }
        let b = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        b.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = b
        capacity = size
    }

    @inline(__always)
    func append(_ p: UnsafeRawPointer, _ n: Int) {
        reserve(n)
        (base + count).copyMemory(from: p, byteCount: n)
        count &+= n
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        if let p = bytes.baseAddress { append(p, bytes.count) }
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// Appends `n` spaces (column padding).
    func appendSpaces(_ n: Int) {
        reserve(n)
        (base + count).initializeMemory(as: UInt8.self, repeating: 0x20, count: n)
        count &+= n
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    func append(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// The decimal digits of `n` (n >= 0).
    func append(decimal n: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: any Int
        var v = n, i = 24
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { i -= 1; d[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10); v /= 10 } while v > 0
            append(UnsafeRawBufferPointer(rebasing: d[i...]))
        }
    }

    /// Drops the first `n` bytes, moving the rest to the front.
    func removeFirst(_ n: Int) {
        if n < count { memmove(base, base + n, count - n) }
        count -= min(n, count)
    }

    /// Exchanges storage with `other` (hands a filled block to a worker without copying it).
    func swapStorage(with other: ByteBuffer) {
        swap(&base, &other.base)
        swap(&capacity, &other.capacity)
        swap(&count, &other.count)
    }
}

/// Equality of short byte ranges without a call into `memcmp`.
///
/// The reader compares a few short strings per tag (a value with the previous tag's, a name with
/// the names table): for 2 to 40 bytes, a libc call and its size dispatch cost more than the
/// compare. Never reads outside `a[0..<n]` and `b[0..<n]`: the last word overlaps the one before.
enum ByteCompare {
    /// Whether `a[0..<n]` and `b[0..<n]` hold the same bytes.
    /// - Complexity: O(n), eight bytes per step.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let p = UnsafeRawPointer(a), q = UnsafeRawPointer(b)
        if n >= 8 {
            var i = 0
            while n &- i > 8 {
                if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) != q.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i &+= 8
            }
            return p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == q.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        if n >= 4 {
            return p.loadUnaligned(as: UInt32.self) == q.loadUnaligned(as: UInt32.self)
                && p.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == q.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        if n == 0 { return true }
        // 1...3 bytes: the first, middle and last cover them all.
        return a[0] == b[0] && a[n &>> 1] == b[n &>> 1] && a[n &- 1] == b[n &- 1]
    }
}

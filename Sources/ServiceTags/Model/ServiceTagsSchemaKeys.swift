/// The keys the reader knows at each level of the document, and a lookup that settles most keys
/// with one length switch (every key here differs in length from its neighbours or in its first
/// byte) before one full comparison.
enum ServiceTagsSchemaKeys {
    enum Level {
        case document, entry, properties
    }

    /// The name of key `i` of `level`, in the reader's `switch` order. A `switch` rather than a
    /// static array: this runs for every key and a global array costs a retain and release.
    @inline(__always)
    static func name(_ level: Level, _ i: Int) -> StaticString {
        switch level {
        case .document:
            switch i {
            case 0: "changeNumber"
            case 1: "cloud"
            default: "values"
            }
        case .entry:
            switch i {
            case 0: "name"
            case 1: "id"
            default: "properties"
            }
        case .properties:
            switch i {
            case 0: "changeNumber"
            case 1: "region"
            case 2: "regionId"
            case 3: "platform"
            case 4: "systemService"
            case 5: "addressPrefixes"
            default: "networkFeatures"
            }
        }
    }

    /// The index of `p[0..<n]` among the keys of `level`, or -1.
    /// - Complexity: O(n).
    @inline(__always)
    static func index(_ p: UnsafePointer<UInt8>, _ n: Int, _ level: Level) -> Int {
        let candidate: Int
        switch level {
        case .document:
            switch n {
            case 12: candidate = 0
            case 5: candidate = 1
            case 6: candidate = 2
            default: return -1
            }
            return matches(p, n, name(level, candidate)) ? candidate : -1
        case .entry:
            switch n {
            case 4: candidate = 0
            case 2: candidate = 1
            case 10: candidate = 2
            default: return -1
            }
            return matches(p, n, name(level, candidate)) ? candidate : -1
        case .properties:
            switch n {
            case 12: candidate = 0
            case 6: candidate = 1
            case 8: candidate = p[0] == UInt8(ascii: "r") ? 2 : 3
            case 13: candidate = 4
            case 15: candidate = p[0] == UInt8(ascii: "a") ? 5 : 6
            default: return -1
            }
            return matches(p, n, name(level, candidate)) ? candidate : -1
        }
    }

    /// Whether `p[0..<n]` is `key`: keys of 8...16 bytes are two overlapping 8-byte compares.
    @inline(__always)
    static func matches(_ p: UnsafePointer<UInt8>, _ n: Int, _ key: StaticString) -> Bool {
        guard key.utf8CodeUnitCount == n else { return false }
        let q = key.utf8Start
        if n >= 8 && n <= 16 {
            let a = UnsafeRawPointer(p)
            let b = UnsafeRawPointer(q)
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        for i in 0..<n where p[i] != q[i] { return false }
        return true
    }
}

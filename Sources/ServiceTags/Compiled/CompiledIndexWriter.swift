/// Appends little-endian values to a section's bytes (`CompiledIndex.write`).
struct CompiledByteWriter {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Every element, little-endian: on a little-endian machine one copy of the array's storage.
    mutating func append<T: FixedWidthInteger & BitwiseCopyable>(contentsOf values: [T]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { append(v) }
        #endif
    }

    /// Every element of an index array, little-endian.
    mutating func append<T: FixedWidthInteger & BitwiseCopyable>(contentsOf values: IndexArray<T>) {
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values.base))
        #else
        for v in values { append(v) }
        #endif
    }

    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, b) in raw.enumerated() { bytes[offset + i] = b }
        }
    }
}

/// Interns the model's strings into the `strings` section: each distinct byte sequence once.
///
/// Keyed by the strings' UTF-8 bytes, not by `String`: Swift's `String` equality is canonical
/// equivalence ("é" and "e\u{301}" are equal), and the pool must keep each string's own bytes.
/// An open-addressing table of the distinct strings, hashed over their bytes as the reader hashes
/// tag names (`TagNameSet.hash`): a
/// `[String: UInt32]` (SipHash, plus a byte comparison to catch canonically equal strings) was
/// half of laying out the model.
///
/// Invariant: `table` has a power-of-two count, at least twice `entries.count`; each entry's
/// bytes are `bytes[offset ..< offset + length]`, and no two entries have equal bytes.
struct CompiledStringPool {
    var bytes = CompiledByteWriter()
    private var entries: [(offset: UInt32, length: UInt32, hash: UInt64)] = []
    /// Index into `entries`, or -1 for an empty slot.
    private var table = [Int32](repeating: -1, count: 1024)

    /// The string's (offset, length) in the pool.
    /// - Throws: `.unsupported` for a string longer than `CompiledIndexLayout.maxStringBytes`.
    /// - Complexity: O(length) expected.
    mutating func intern(_ s: String, what: @autoclosure () -> String) throws(CompiledIndexError) -> (UInt32, UInt32) {
        var s = s
        let length = s.utf8.count
        guard length <= CompiledIndexLayout.maxStringBytes else {
            throw CompiledIndexError(.unsupported, "\(what()) is \(length) bytes long; a compiled index holds strings of at most \(CompiledIndexLayout.maxStringBytes) bytes")
        }
        return s.withUTF8 { intern(bytes: $0) }
    }

    private mutating func intern(bytes utf8: UnsafeBufferPointer<UInt8>) -> (UInt32, UInt32) {
        // The reader's hash and comparison of tag names (`TagNameSet`, `ByteCompare`); an empty
        // string has no address, and all empty strings are equal.
        let hash = utf8.baseAddress.map { TagNameSet.hash($0, utf8.count) } ?? 0
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let e = entries[Int(table[slot])]
            if e.hash == hash && Int(e.length) == utf8.count && bytes.bytes.withUnsafeBufferPointer({ pool in
                utf8.isEmpty || ByteCompare.equal(pool.baseAddress! + Int(e.offset), utf8.baseAddress!, utf8.count)
            }) {
                return (e.offset, e.length)
            }
            slot = (slot + 1) & mask
        }
        let entry = (offset: UInt32(bytes.bytes.count), length: UInt32(utf8.count), hash: hash)
        bytes.bytes.append(contentsOf: utf8)
        table[slot] = Int32(entries.count)
        entries.append(entry)
        if entries.count * 2 > table.count { grow() }
        return (entry.offset, entry.length)
    }

    /// Doubles the table, placing every entry again by its hash.
    private mutating func grow() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        for (i, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(i)
        }
    }
}

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

    /// Pads with zeros to a multiple of `CompiledIndexLayout.alignment`.
    mutating func align() {
        while bytes.count % CompiledIndexLayout.alignment != 0 { bytes.append(0) }
    }

    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (i, b) in raw.enumerated() { bytes[offset + i] = b }
        }
    }
}

/// Interns the model's strings into the `strings` section: each distinct byte sequence once.
///
/// Keyed by `String` for speed, but Swift's `String` equality is canonical equivalence ("é" and
/// "e\u{301}" are equal), and the pool must keep each string's own bytes: a hit is used only
/// when the pooled bytes are the string's; a canonically equal string with other bytes is kept
/// in `exact`, by its bytes.
struct CompiledStringPool {
    var bytes = CompiledByteWriter()
    private var offsets: [String: UInt32] = [:]
    private var exact: [[UInt8]: UInt32] = [:]

    /// The string's (offset, length) in the pool.
    /// - Throws: `.unsupported` for a string longer than `CompiledIndexLayout.maxStringBytes`.
    mutating func intern(_ s: String, what: @autoclosure () -> String) throws(CompiledIndexError) -> (UInt32, UInt32) {
        let length = s.utf8.count
        guard length <= CompiledIndexLayout.maxStringBytes else {
            throw CompiledIndexError(.unsupported, "\(what()) is \(length) bytes long; a compiled index holds strings of at most \(CompiledIndexLayout.maxStringBytes) bytes")
        }
        if let offset = offsets[s] {
            let start = Int(offset)
            if start + length <= bytes.bytes.count && bytes.bytes[start ..< start + length].elementsEqual(s.utf8) { return (offset, UInt32(length)) }
            let key = Array(s.utf8)
            if let offset = exact[key] { return (offset, UInt32(length)) }
            let other = UInt32(bytes.bytes.count)
            bytes.bytes.append(contentsOf: key)
            exact[key] = other
            return (other, UInt32(length))
        }
        let offset = UInt32(bytes.bytes.count)
        bytes.bytes.append(contentsOf: s.utf8)
        offsets[s] = offset
        return (offset, UInt32(length))
    }
}

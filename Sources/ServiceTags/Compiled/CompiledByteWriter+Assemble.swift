extension CompiledByteWriter {
    /// A whole compiled file of `format`: the 96-byte header, the section table, the sections in
    /// `format.sections` order (each 16-byte aligned), then the checksum, filled in last.
    /// The header's fields 32..<80 are the format's to define (`CompiledIndexLayout`).
    /// - Precondition: `sections` holds every kind of `format.sections`; `sourceSHA256` has 32 bytes.
    /// - Complexity: O(total size).
    static func assemble(_ format: CompiledFormat, _ sections: [CompiledSection: CompiledByteWriter], flags: UInt32,
                         sourceSHA256: [UInt8], sourceSize: Int, changeNumber: Int64) -> [UInt8] {
        typealias L = CompiledIndexLayout
        precondition(sourceSHA256.count == 32)
        let kinds = format.sections
        var out = CompiledByteWriter()
        let tableEnd = L.headerSize + kinds.count * L.sectionEntrySize
        var offsets: [Int] = []
        var position = tableEnd
        for kind in kinds {
            position = (position + L.alignment - 1) / L.alignment * L.alignment
            offsets.append(position)
            position += sections[kind]!.bytes.count
        }
        let total = (position + L.alignment - 1) / L.alignment * L.alignment
        out.bytes.reserveCapacity(total)
        out.bytes.append(contentsOf: format.magic)
        out.append(format.version)
        out.append(flags)
        out.append(UInt64(0))  // checksum, filled in below
        out.append(UInt64(total))
        out.bytes.append(contentsOf: sourceSHA256)
        out.append(UInt64(sourceSize))
        out.append(changeNumber)
        out.append(UInt32(kinds.count))
        out.bytes.append(contentsOf: repeatElement(0, count: L.headerSize - out.bytes.count))
        for (kind, offset) in zip(kinds, offsets) {
            out.append(kind.rawValue)
            out.append(UInt32(0))
            out.append(UInt64(offset))
            out.append(UInt64(sections[kind]!.bytes.count))
        }
        for kind in kinds {
            out.align()
            out.bytes.append(contentsOf: sections[kind]!.bytes)
        }
        out.align()
        let checksum = out.bytes.withUnsafeBytes { CompiledIndexChecksum.compute($0) }
        out.set(checksum, at: L.checksumOffset)
        return out.bytes
    }
}

/// A bounds-checked view of a compiled index's bytes: the header and section table are validated
/// when it is made, so afterwards every section is a range inside the bytes, 16-byte aligned,
/// a whole number of elements long, and disjoint from the header, the table and every other
/// section (docs/compiled-index.md, "Validation").
///
/// Checked in this order, so a message names the first thing wrong: the magic, the format version,
/// the header's size, the recorded file size against the real one, the checksum (before any other
/// field is trusted), the flags and reserved fields, then each section table entry.
struct CompiledIndexReader {
    typealias L = CompiledIndexLayout
    let bytes: UnsafeRawBufferPointer
    let flags: UInt32
    let sourceSHA256: [UInt8]
    let sourceSize: Int
    let changeNumber: Int64
    private(set) var ranges: [CompiledSection: Range<Int>] = [:]
    /// Keeps `bytes` alive (the mapping or the aligned copy); the arrays viewing them hold it too.
    let owner: CompiledIndexMemory
    let format: CompiledFormat

    /// - Precondition: `memory.bytes` is 16-byte aligned (a mapping is page aligned).
    /// - Parameter checksum: whether to check the checksum here; `CompiledIndex` passes false and
    ///   checks it beside validation instead (`CompiledIndexChecksumTask`), preferring its error.
    /// - Parameter format: whose magic, version and sections to expect (the header and the
    ///   section table are the same container for every format).
    init(_ memory: CompiledIndexMemory, checksum: Bool = true, format: CompiledFormat = .index) throws(CompiledIndexError) {
        let bytes = memory.bytes
        precondition(Int(bitPattern: bytes.baseAddress) % L.alignment == 0)
        self.bytes = bytes
        self.owner = memory
        self.format = format
        let count = bytes.count
        try Self.checkHeader(bytes, format: format)
        if checksum { try Self.checkChecksum(bytes, computed: CompiledIndexChecksum.compute(bytes), format: format) }
        flags = Self.load(bytes, L.Field.flags, as: UInt32.self)
        sourceSHA256 = Array(bytes[L.Field.sourceSHA256 ..< L.Field.sourceSHA256 + 32])
        let recordedSource = Self.load(bytes, L.Field.sourceSize, as: UInt64.self)
        guard recordedSource <= UInt64(Int.max) else {
            throw CompiledIndexError(.invalid, "the source file size \(recordedSource) is out of range", offset: L.Field.sourceSize)
        }
        sourceSize = Int(recordedSource)
        changeNumber = Self.load(bytes, L.Field.changeNumber, as: Int64.self)
        guard flags & ~format.knownFlags == 0 else {
            throw CompiledIndexError(.invalid, "unknown header flags 0x\(String(flags, radix: 16))", offset: L.Field.flags)
        }
        for offset in stride(from: L.Field.sectionCount + 4, to: L.headerSize, by: 4) where Self.load(bytes, offset, as: UInt32.self) != 0 {
            throw CompiledIndexError(.invalid, "reserved header bytes are not zero", offset: offset)
        }
        let sectionCount = Int(Self.load(bytes, L.Field.sectionCount, as: UInt32.self))
        guard sectionCount == format.sections.count else {
            throw CompiledIndexError(.invalid, "\(sectionCount) sections; a version \(format.version) \(format.noun) has \(format.sections.count)", offset: L.Field.sectionCount)
        }
        let tableEnd = L.headerSize + sectionCount * L.sectionEntrySize
        guard tableEnd <= count else {
            throw CompiledIndexError(.truncated, "truncated: the section table ends at byte \(CompiledIndexError.grouped(tableEnd)) but the file has \(CompiledIndexError.grouped(count)) bytes", offset: count)
        }
        let known = Set(format.sections)
        for i in 0 ..< sectionCount {
            let entry = L.headerSize + i * L.sectionEntrySize
            let kind = CompiledSection(rawValue: Self.load(bytes, entry, as: UInt32.self))
            guard known.contains(kind) else { throw CompiledIndexError(.invalid, "section table entry \(i) has the unknown kind \(kind.rawValue)", offset: entry) }
            guard ranges[kind] == nil else { throw CompiledIndexError(.invalid, "section '\(kind.name)' appears twice", offset: entry) }
            guard Self.load(bytes, entry + 4, as: UInt32.self) == 0 else {
                throw CompiledIndexError(.invalid, "section '\(kind.name)': reserved bytes are not zero", offset: entry + 4)
            }
            let start = Self.load(bytes, entry + 8, as: UInt64.self), length = Self.load(bytes, entry + 16, as: UInt64.self)
            // In UInt64 first: a corrupted offset or length may be anything.
            guard start <= UInt64(count), length <= UInt64(count) - start else {
                let end = start.addingReportingOverflow(length)
                let endText = end.overflow ? "past 2^64" : "at byte \(CompiledIndexError.grouped(Int(clamping: end.partialValue)))"
                throw CompiledIndexError(.truncated, "truncated: section '\(kind.name)' ends \(endText) but the file has \(CompiledIndexError.grouped(count)) bytes", offset: entry + 8)
            }
            let range = Int(start) ..< Int(start + length)
            guard range.lowerBound >= tableEnd, range.lowerBound % L.alignment == 0 else {
                throw CompiledIndexError(.invalid, "section '\(kind.name)' starts at byte \(CompiledIndexError.grouped(range.lowerBound)), inside the header or not \(L.alignment)-byte aligned", offset: entry + 8)
            }
            guard range.count % kind.elementSize == 0 else {
                throw CompiledIndexError(.invalid, "section '\(kind.name)' has \(range.count) bytes, not a whole number of \(kind.elementSize)-byte elements", offset: entry + 16)
            }
            ranges[kind] = range
        }
        // An empty section overlaps nothing (it may share its offset with the next one).
        let sorted = ranges.filter { !$0.value.isEmpty }.sorted { $0.value.lowerBound < $1.value.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.value.lowerBound < a.value.upperBound {
            throw CompiledIndexError(.invalid, "sections '\(a.key.name)' and '\(b.key.name)' overlap", offset: b.value.lowerBound)
        }
    }

    /// Magic, version, header size, file size and checksum: what must hold before any other field
    /// of the header means anything.
    static func checkHeader(_ bytes: UnsafeRawBufferPointer, format: CompiledFormat = .index) throws(CompiledIndexError) {
        let count = bytes.count
        let magicPart = min(count, format.magic.count)
        guard bytes[0 ..< magicPart].elementsEqual(format.magic[0 ..< magicPart]) else {
            throw CompiledIndexError(.notAnIndex, "not a \(format.noun) (no \(format.magicText) header)", offset: 0)
        }
        guard count >= L.Field.version + 4 else {
            throw CompiledIndexError(.truncated, "truncated: the header needs \(L.headerSize) bytes but the file has \(count)", offset: count)
        }
        let version = load(bytes, L.Field.version, as: UInt32.self)
        guard version == format.version else {
            throw CompiledIndexError(.version(found: version), "\(format.noun) format version \(version); this stag reads version \(format.version); recompile with \(format.remedy)", offset: L.Field.version)
        }
        guard count >= L.headerSize else {
            throw CompiledIndexError(.truncated, "truncated: the header needs \(L.headerSize) bytes but the file has \(count)", offset: count)
        }
        let recorded = load(bytes, L.Field.fileSize, as: UInt64.self)
        guard recorded == UInt64(count) else {
            let kind: CompiledIndexError.Kind = recorded > UInt64(count) ? .truncated : .invalid
            throw CompiledIndexError(kind, "\(kind == .truncated ? "truncated" : "trailing bytes"): the header records \(CompiledIndexError.grouped(Int(clamping: recorded))) bytes but the file has \(CompiledIndexError.grouped(count))", offset: L.Field.fileSize)
        }
        guard count % L.alignment == 0 else {
            throw CompiledIndexError(.invalid, "the file size \(CompiledIndexError.grouped(count)) is not a multiple of \(L.alignment)", offset: count)
        }
    }

    /// The recorded checksum against `computed` (of bytes that passed `checkHeader`).
    static func checkChecksum(_ bytes: UnsafeRawBufferPointer, computed: UInt64, format: CompiledFormat = .index) throws(CompiledIndexError) {
        let stored = load(bytes, L.checksumOffset, as: UInt64.self)
        guard stored == computed else {
            throw CompiledIndexError(.checksum, "checksum mismatch: the \(format.shortNoun) is corrupted (recorded \(hex(stored)), computed \(hex(computed))); recompile with \(format.remedy)", offset: L.checksumOffset)
        }
    }

    static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.utf8.count) + digits
    }

    /// A little-endian integer at `offset`. - Precondition: it lies inside `bytes`.
    @inline(__always)
    static func load<T: FixedWidthInteger & BitwiseCopyable>(_ bytes: UnsafeRawBufferPointer, _ offset: Int, as type: T.Type) -> T {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= bytes.count)
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    func load<T: FixedWidthInteger & BitwiseCopyable>(_ offset: Int, as type: T.Type) -> T { Self.load(bytes, offset, as: type) }

    func range(_ kind: CompiledSection) -> Range<Int> { ranges[kind]! }
    func count(_ kind: CompiledSection) -> Int { ranges[kind]!.count / kind.elementSize }
    func raw(_ kind: CompiledSection) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[ranges[kind]!]) }
    /// The byte offset of element `i` of `kind` (for messages).
    func offset(_ kind: CompiledSection, element i: Int) -> Int { ranges[kind]!.lowerBound + i * kind.elementSize }

    /// The section's elements in place: a view of the bytes that keeps them alive (on a
    /// big-endian machine, a byte-swapped copy).
    func view<T: FixedWidthInteger & BitwiseCopyable>(_ kind: CompiledSection, as type: T.Type) -> IndexArray<T> {
        #if _endian(big)
        return IndexArray(array(kind, as: T.self))
        #else
        return view(kind, as: T.self, native: ())
        #endif
    }

    /// The section's elements in place as `T`, whose in-memory layout is the section's
    /// little-endian element layout (integers, `IndexMatch`).
    /// - Precondition: `T`'s size is the element size; its alignment divides 16 (sections are
    ///   16-byte aligned inside 16-byte aligned bytes).
    func view<T: BitwiseCopyable>(_ kind: CompiledSection, as type: T.Type, native: ()) -> IndexArray<T> {
        precondition(kind.elementSize == MemoryLayout<T>.stride && L.alignment % MemoryLayout<T>.alignment == 0)
        let source = raw(kind)
        let n = source.count / MemoryLayout<T>.stride
        let start = n == 0 ? nil : source.baseAddress!.bindMemory(to: T.self, capacity: n)
        return IndexArray(UnsafeBufferPointer(start: start, count: n), owner: owner)
    }

    /// The section's elements, copied out (one `memcpy` on a little-endian machine).
    func array<T: FixedWidthInteger & BitwiseCopyable>(_ kind: CompiledSection, as type: T.Type) -> [T] {
        precondition(kind.elementSize == MemoryLayout<T>.size)
        let source = raw(kind)
        let n = source.count / MemoryLayout<T>.size
        let result = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source) }
            initialized = n
        }
        #if _endian(big)
        return result.map { T(littleEndian: $0) }
        #else
        return result
        #endif
    }
}

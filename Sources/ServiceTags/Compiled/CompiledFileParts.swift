/// A compiled file (index or history) as the consecutive byte ranges it is made of: the header
/// and section table, then each section and the zero padding after it.
///
/// Why pieces and not one array: a built index's arrays already are the file's sections as they
/// lie (little-endian, the element sizes of docs/compiled-index.md), so a piece can view them,
/// and writing the file copies each byte once, into the kernel. Filling a whole-file buffer first
/// (from a buffer per section) made `stag compile` touch 12 MB of fresh memory for the Public
/// file's 6 MB index and copy it twice: about a quarter of the command's time went to those page
/// faults and copies.
///
/// Invariant: the pieces are in file order and their lengths sum to `count`; each is memory that
/// stays valid and unchanged while the piece's owner lives (an `IndexArray`'s owner, or a box of
/// an array this type made), and the pieces hold their owners.
public struct CompiledFileParts: @unchecked Sendable {
    /// A byte range and what keeps it alive.
    struct Piece {
        let bytes: UnsafeRawBufferPointer
        let owner: AnyObject?

        /// Takes the array over (held, not copied, and never mutated again: `IndexArray.init(_:)`).
        init(_ array: [UInt8]) { self.init(viewing: IndexArray(array)) }

        /// The elements of an index array as they lie in memory, which is the file's layout on a
        /// little-endian machine (on a big-endian one, callers convert first).
        init<T>(viewing array: IndexArray<T>) {
            bytes = UnsafeRawBufferPointer(array.base)
            owner = array.owner
        }

        /// An index array's elements, little-endian: a view where that is how they lie, else a copy.
        static func littleEndian<T: FixedWidthInteger & BitwiseCopyable>(_ array: IndexArray<T>) -> Piece {
            #if _endian(little)
            return Piece(viewing: array)
            #else
            var w = CompiledByteWriter()
            w.append(contentsOf: array)
            return Piece(w.bytes)
            #endif
        }
    }

    private let pieces: [Piece]
    /// The file's size in bytes.
    public let count: Int

    private init(pieces: [Piece]) {
        self.pieces = pieces
        count = pieces.reduce(0) { $0 + $1.bytes.count }
    }

    /// Calls `body` with each piece in file order (empty pieces included).
    public func forEachPiece<E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        for piece in pieces {
            try withExtendedLifetime(piece.owner) { () throws(E) in try body(piece.bytes) }
        }
    }

    /// The whole file as one array (a copy).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        forEachPiece { out.append(contentsOf: $0) }
        return out
    }

    /// A whole compiled file of `format`: the 96-byte header, the section table, the sections in
    /// `format.sections` order (each 16-byte aligned, zero padded), the file padded to a multiple
    /// of 16, and the checksum of it all in the header.
    /// The header's fields 32..<80 are the format's to define (`CompiledIndexLayout`).
    /// - Precondition: `sections` holds every kind of `format.sections`; `sourceSHA256` has 32 bytes.
    /// - Complexity: O(total size) for the checksum; the sections are not copied.
    static func assemble(_ format: CompiledFormat, _ sections: [CompiledSection: Piece], flags: UInt32,
                         sourceSHA256: [UInt8], sourceSize: Int, changeNumber: Int64) -> CompiledFileParts {
        typealias L = CompiledIndexLayout
        precondition(sourceSHA256.count == 32)
        let kinds = format.sections
        let tableEnd = L.headerSize + kinds.count * L.sectionEntrySize
        func aligned(_ n: Int) -> Int { (n + L.alignment - 1) / L.alignment * L.alignment }
        var offsets: [Int] = []
        var position = tableEnd
        for kind in kinds {
            position = aligned(position)
            offsets.append(position)
            position += sections[kind]!.bytes.count
        }
        let total = aligned(position)
        var header = CompiledByteWriter()
        header.bytes.reserveCapacity(tableEnd)
        header.bytes.append(contentsOf: format.magic)
        header.append(format.version)
        header.append(flags)
        header.append(UInt64(0))  // checksum, filled in below
        header.append(UInt64(total))
        header.bytes.append(contentsOf: sourceSHA256)
        header.append(UInt64(sourceSize))
        header.append(changeNumber)
        header.append(UInt32(kinds.count))
        header.bytes.append(contentsOf: repeatElement(0, count: L.headerSize - header.bytes.count))
        for (kind, offset) in zip(kinds, offsets) {
            header.append(kind.rawValue)
            header.append(UInt32(0))
            header.append(UInt64(offset))
            header.append(UInt64(sections[kind]!.bytes.count))
        }
        // Padding views one zero block: a section never needs more than `alignment - 1` bytes of it.
        let zeros = Piece([UInt8](repeating: 0, count: L.alignment))
        func padding(_ n: Int) -> Piece { Piece(bytes: UnsafeRawBufferPointer(rebasing: zeros.bytes[0 ..< n]), owner: zeros.owner) }
        var body: [Piece] = []
        position = tableEnd
        for (kind, offset) in zip(kinds, offsets) {
            if offset > position { body.append(padding(offset - position)) }
            body.append(sections[kind]!)
            position = offset + sections[kind]!.bytes.count
        }
        if total > position { body.append(padding(total - position)) }
        // The checksum covers the header (its own field as zero) and every piece after it.
        var checksum = CompiledIndexChecksum.Stream()
        header.bytes.withUnsafeBytes { checksum.update($0) }
        for piece in body { withExtendedLifetime(piece.owner) { checksum.update(piece.bytes) } }
        header.set(checksum.finish(), at: L.checksumOffset)
        return CompiledFileParts(pieces: [Piece(header.bytes)] + body)
    }
}

extension CompiledFileParts.Piece {
    init(bytes: UnsafeRawBufferPointer, owner: AnyObject?) {
        self.bytes = bytes
        self.owner = owner
    }
}

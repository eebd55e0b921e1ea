#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled history (`stag compile --archive`, docs/compiled-history.md): every distinct
/// (tag, prefix) of an archive's files with the runs of files it appears in, plus per-file and
/// per-(tag, file) metadata, in one mapped, versioned, checksummed file. `stag history` answers
/// from it exactly as from the JSON files it was compiled from, without parsing anything.
///
/// Invariants, once loaded (all checked by `validated`): `archive` is a valid `HistoryArchive`
/// whose entries are `files` in order; `tagNames` are distinct and sorted in byte order; every
/// stored prefix is canonical; within a length the pairs are sorted by (address, tag) with no
/// two equal; every pair has at least one run, and its runs are sorted, inside the archive, and
/// separated by at least one file (maximal).
public struct CompiledHistory: Sendable {
    typealias L = CompiledHistoryLayout

    /// What the history records of one file of its archive.
    public struct File: Equatable, Sendable {
        public var fileName: String
        public var changeNumber: Int?
        public var sha256: [UInt8]
        public var size: Int
        public var sha256Hex: String { CompiledIndex.Source(sha256: sha256, size: size).sha256Hex }
    }

    /// The archive's files as names (no directory): dates and count for the output.
    public let archive: HistoryArchive
    public let files: [File]
    /// Every tag name any file has, in byte order.
    public let tagNames: [String]
    /// The compiled history's own size in bytes.
    public let byteCount: Int
    /// Per (tag, file), at `2 * (tag * files.count + file)`: the record's two words, flags (low
    /// 32 bits) and changeNumber, viewed in place (`tagFile(_:_:)` decodes one).
    let tagFileWords: IndexArray<UInt64>
    let v4: CompiledHistoryFamily<IPv4Address>
    let v6: CompiledHistoryFamily<IPv6Address>

    /// The format version this code writes and reads.
    public static var formatVersion: UInt32 { L.version }
    /// The first 8 bytes of every compiled history.
    public static var magic: [UInt8] { L.magic }

    /// Whether `bytes` (the start of a file) begin with the compiled history's magic.
    public static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool { bytes.starts(with: L.magic) }

    /// Whether the file at `path` starts with the compiled history's magic (its header, not its name).
    public static func isCompiledHistory(at path: String) -> Bool {
        CompiledIndex.firstBytes(of: path, L.magic.count).map(hasMagic) ?? false
    }

    /// Maps the file at `path` read-only and validates it; the pairs are read from the mapping.
    /// - Throws: `CompiledIndexError` naming the file, the byte and the problem.
    /// - Complexity: O(file size) for the checksum and validation; nothing is parsed or rebuilt.
    public init(contentsOf path: String) throws(CompiledIndexError) {
        self = try Self(memory: CompiledIndexMemory(mapping: path, noun: L.format.noun), path: path)
    }

    /// Validates and loads a compiled history held in memory (copied once into aligned memory).
    public init(bytes: UnsafeRawBufferPointer, path: String? = nil) throws(CompiledIndexError) {
        try self.init(memory: CompiledIndexMemory(copying: bytes), path: path)
    }

    /// As `CompiledIndex.init(memory:path:)`: the checksum beside validation, its error preferred.
    init(memory: CompiledIndexMemory, path: String?) throws(CompiledIndexError) {
        do throws(CompiledIndexError) {
            try CompiledIndexReader.checkHeader(memory.bytes, format: L.format)
            let checksum = CompiledIndexChecksumTask(memory)
            do throws(CompiledIndexError) {
                self = try Self(validating: memory)
            } catch {
                try CompiledIndexReader.checkChecksum(memory.bytes, computed: checksum.value(), format: L.format)
                throw error
            }
            try CompiledIndexReader.checkChecksum(memory.bytes, computed: checksum.value(), format: L.format)
        } catch {
            var error = error
            error.path = path
            throw error
        }
    }

    /// Everything but the checksum: the container, the files, the tags, both families.
    private init(validating memory: CompiledIndexMemory) throws(CompiledIndexError) {
        let reader = try CompiledIndexReader(memory, checksum: false, format: L.format)
        let pool = reader.raw(L.strings)
        func string(_ record: Int, _ what: @autoclosure () -> String) throws(CompiledIndexError) -> String {
            let offset = Int(reader.load(record, as: UInt32.self)), length = Int(reader.load(record + 4, as: UInt32.self))
            guard length <= CompiledIndexLayout.maxStringBytes, offset <= pool.count, length <= pool.count - offset,
                  let s = CompiledModelDecoder.utf8String(UnsafeRawBufferPointer(rebasing: pool[offset ..< offset + length])) else {
                throw CompiledIndexError(.invalid, "\(what()) is not a valid string of 'strings'", offset: record)
            }
            return s
        }
        let fileCount = reader.count(L.files)
        guard fileCount >= 1, fileCount <= L.maxFiles else {
            throw CompiledIndexError(.invalid, "\(fileCount) files; a compiled history holds 1 to \(L.maxFiles)", offset: reader.range(L.files).lowerBound)
        }
        var files: [File] = []
        var digest = SHA256(), total = 0
        let filesStart = reader.range(L.files).lowerBound
        for i in 0 ..< fileCount {
            typealias R = L.FileRecord
            let record = filesStart + i * R.size
            let name = try string(record + R.name, "file \(i)'s name")
            let flags = reader.load(record + R.flags, as: UInt32.self), change = reader.load(record + R.changeNumber, as: Int64.self)
            let size = reader.load(record + R.sourceSize, as: UInt64.self)
            guard flags & ~R.hasChangeNumber == 0, reader.load(record + R.flags + 4, as: UInt32.self) == 0,
                  flags != 0 || change == 0, size <= UInt64(Int.max) - UInt64(total) else {
                throw CompiledIndexError(.invalid, "file \(i)'s record has unknown flags, nonzero reserved bytes or a size out of range", offset: record + R.flags)
            }
            let sha = Array(reader.bytes[record + R.sha256 ..< record + R.sha256 + 32])
            digest.update(sha)
            total += Int(size)
            files.append(File(fileName: name, changeNumber: flags == 0 ? nil : Int(change), sha256: sha, size: Int(size)))
        }
        do {
            archive = try HistoryArchive(fileNames: files.map(\.fileName), directory: "")
        } catch {
            throw CompiledIndexError(.invalid, "the file names are not one archive: \(error)", offset: reader.range(L.files).lowerBound)
        }
        guard archive.entries.map(\.fileName) == files.map(\.fileName) else {
            throw CompiledIndexError(.invalid, "the files are not in the order of their dates", offset: reader.range(L.files).lowerBound)
        }
        typealias F = CompiledIndexLayout.Field
        guard CompiledIndex.sha256Bytes(hex: digest.finalizeHex()) == reader.sourceSHA256, reader.sourceSize == total else {
            throw CompiledIndexError(.invalid, "the header's archive digest or size does not match the files", offset: F.sourceSHA256)
        }
        let lastChange = files[fileCount - 1].changeNumber
        guard (reader.flags != 0) == (lastChange != nil), reader.changeNumber == Int64(lastChange ?? 0) else {
            throw CompiledIndexError(.invalid, "the header's changeNumber is not the last file's", offset: F.changeNumber)
        }
        var names: [String] = []
        let tagsStart = reader.range(L.tags).lowerBound
        var previous: UnsafeRawBufferPointer? = nil
        for t in 0 ..< reader.count(L.tags) {
            let record = tagsStart + t * 8
            let name = try string(record, "tag \(t)'s name")
            // Compared as the bytes in the pool (bounded by `string`), not as Strings: 3,000 names.
            let offset = Int(reader.load(record, as: UInt32.self)), length = Int(reader.load(record + 4, as: UInt32.self))
            let bytes = UnsafeRawBufferPointer(rebasing: pool[offset ..< offset + length])
            if let p = previous, !Self.precedes(p, bytes) {
                throw CompiledIndexError(.invalid, "tag \(t)'s name is not after tag \(t - 1)'s in byte order", offset: record)
            }
            previous = bytes
            names.append(name)
        }
        // As `CompiledModelDecoder.metadata`: names distinct as bytes must be distinct as Strings
        // (the builder merges canonically equivalent names into one tag, so only a crafted file
        // can hold two).
        if let (other, t) = TagNameEquivalence.firstEquivalentPair(names) {
            throw CompiledIndexError(.invalid, "tags \(other) and \(t) have canonically equivalent names", offset: tagsStart + t * 8)
        }
        tagNames = names
        self.files = files
        guard reader.count(L.tagFiles) == names.count * fileCount else {
            throw CompiledIndexError(.invalid, "section 'tagFiles' has \(reader.count(L.tagFiles)) records for \(names.count) tags × \(fileCount) files", offset: reader.range(L.tagFiles).lowerBound)
        }
        let words = Self.words(reader, L.tagFiles)
        for i in 0 ..< names.count * fileCount {
            typealias R = L.TagFileRecord
            // Word 0: flags, then the reserved UInt32 (must be 0); word 1: changeNumber.
            let head = words[2 * i], change = words[2 * i + 1]
            let flags = UInt32(truncatingIfNeeded: head)
            guard head >> 32 == 0, flags & ~(R.present | R.hasChangeNumber) == 0, flags & R.hasChangeNumber == 0 || flags & R.present != 0,
                  flags & R.hasChangeNumber != 0 || change == 0 else {
                throw CompiledIndexError(.invalid, "record \(i) of 'tagFiles' has unknown flags, a changeNumber without the tag, or nonzero reserved bytes",
                                         offset: reader.offset(L.tagFiles, element: i))
            }
        }
        tagFileWords = words
        v4 = try CompiledHistoryFamily(reader, v4: true, tags: names.count, files: fileCount)
        v6 = try CompiledHistoryFamily(reader, v4: false, tags: names.count, files: fileCount)
        byteCount = memory.bytes.count
    }
}

extension CompiledHistory {
    /// Whether tag `tag` is in file `file`, and its changeNumber there.
    func tagFile(_ tag: Int, _ file: Int) -> (present: Bool, changeNumber: Int?) {
        typealias R = L.TagFileRecord
        let i = 2 * (tag * files.count + file)
        let flags = UInt32(truncatingIfNeeded: tagFileWords[i])
        return (flags & R.present != 0, flags & R.hasChangeNumber != 0 ? Int(Int64(bitPattern: tagFileWords[i + 1])) : nil)
    }

    /// A section of 8-byte-multiple records as its `UInt64` words, in place (a byte-swapped copy
    /// on a big-endian machine). Sections are 16-byte aligned inside 16-byte aligned bytes.
    static func words(_ reader: CompiledIndexReader, _ kind: CompiledSection) -> IndexArray<UInt64> {
        let source = reader.raw(kind)
        let n = source.count / 8
        #if _endian(big)
        return IndexArray((0 ..< n).map { UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) })
        #else
        let start = n == 0 ? nil : source.baseAddress!.bindMemory(to: UInt64.self, capacity: n)
        return IndexArray(UnsafeBufferPointer(start: start, count: n), owner: reader.owner)
        #endif
    }

    /// Byte order of two names, as `String.utf8.lexicographicallyPrecedes` (strictly before).
    static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return c < 0 }
        }
        return a.count < b.count
    }

    /// Rewrites the checksum of a compiled history's bytes to match them (tests and fuzzing:
    /// edits then reach validation, which must stop them).
    public static func resealChecksum(_ bytes: inout [UInt8]) { CompiledIndex.resealChecksum(&bytes) }
}

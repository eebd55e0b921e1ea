/// A compiled index (`stag compile`): a `ServiceTagsFile` and its `TagIndex` in one versioned
/// binary file that loads without parsing JSON or rebuilding anything (docs/compiled-index.md).
///
/// Every command that takes `--data` reads one in place of the JSON file it was compiled from and
/// answers exactly as from that file: `file` is the whole model (every field, prefixes in file
/// order), `index` the combined index of both families as the builder made it.
///
/// Invariants, once loaded: `file.tags == index.tags`; the index passes
/// `FamilyIndex.validate(tagCount:)`; tag names are unique; every prefix is canonical. The whole
/// file was checked on load; the index reads its arrays in place, and the tags' prefix lists are
/// decoded on the first read of `file` or `index.tags` (a lookup reads neither).
public struct CompiledIndex: Sendable {
    /// The format version this code writes and reads (header bytes 8..<12).
    public static var formatVersion: UInt32 { CompiledIndexLayout.version }
    /// The first 8 bytes of every compiled index.
    public static var magic: [UInt8] { CompiledIndexLayout.magic }

    /// The whole model, as read from the JSON file. - Complexity: O(prefixes) the first time.
    public var file: ServiceTagsFile { ServiceTagsFile(changeNumber: index.changeNumber, cloud: index.cloud, tags: index.tags) }
    public var index: TagIndex
    /// The JSON file it was compiled from, as recorded.
    public var source: Source
    /// The compiled index's own size in bytes.
    public var byteCount: Int

    /// What an index records about the file it was compiled from.
    public struct Source: Equatable, Sendable {
        public var sha256: [UInt8]
        public var size: Int
        /// 64 lower-case hex digits, as `SHA256.finalizeHex` and the fetch manifest write them.
        public var sha256Hex: String {
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: sha256.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
        }
    }

    /// Whether `bytes` (the start of a file) begin with the compiled index's magic.
    public static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool { bytes.starts(with: CompiledIndexLayout.magic) }

    /// 64 hex digits as 32 bytes; nil for anything else.
    public static func sha256Bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30 ... 0x39: c - 0x30
            case 0x61 ... 0x66: c - 0x61 + 10
            case 0x41 ... 0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: 64, by: 2) {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    /// Compiles `file`: builds its index and writes both.
    /// - Throws: `.unsupported` when a string is longer than the format's cap.
    public static func compile(_ file: ServiceTagsFile, sourceSHA256: [UInt8], sourceSize: Int) throws(CompiledIndexError) -> [UInt8] {
        try sections(compiling: file).parts(sourceSHA256: sourceSHA256, sourceSize: sourceSize).bytes
    }
}

extension CompiledIndex {
    /// Rewrites the checksum of an index's bytes to match them: for tests and fuzzing, so that
    /// deliberate edits get past the checksum and reach validation (which must stop them).
    /// - Precondition: `bytes.count` is a multiple of 8 and at least the header's size.
    public static func resealChecksum(_ bytes: inout [UInt8]) {
        let checksum = bytes.withUnsafeBytes { CompiledIndexChecksum.compute($0) }
        withUnsafeBytes(of: checksum.littleEndian) { raw in
            for (i, b) in raw.enumerated() { bytes[CompiledIndexLayout.checksumOffset + i] = b }
        }
    }
}

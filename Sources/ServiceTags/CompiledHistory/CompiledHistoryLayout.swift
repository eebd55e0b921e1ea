/// The layout of a compiled history (`stag compile --archive`, docs/compiled-history.md): the
/// compiled index's container (96-byte header, section table, 16-byte aligned little-endian
/// sections, checksum; `CompiledIndexLayout`) with its own magic, version and sections.
///
/// Header fields 32..<80 keep their positions and widths with these meanings: the SHA-256 of the
/// archive (of the files' SHA-256 digests, concatenated in archive order), the archive's total
/// source bytes, and the last file's changeNumber (flag bit 0 when it has one).
///
/// Sections, each once (`section(_:)` gives names and element sizes):
/// - `files` (64-byte records, archive order): file name (offset, length into `strings`), flags
///   (bit 0: has a changeNumber), reserved, changeNumber (Int64), source size (UInt64), SHA-256.
/// - `strings`: UTF-8 bytes of file and tag names, each distinct string once.
/// - `tags` (8 bytes: offset, length): every tag name of the archive, sorted in byte order.
/// - `tagFiles` (16 bytes, tag-major: `tag * files + file`): flags (bit 0 present, bit 1 has a
///   changeNumber), reserved, changeNumber (Int64).
/// - per family (`v4.`/`v6.`): the distinct (tag, prefix) pairs sorted by (length, address, tag)
///   as parallel arrays `addresses`, `lengths`, `tags`; `runStart` (pairs + 1 entries) into
///   `runs`; `lengthStart` (bit width + 2 entries): the pairs of length L are
///   `lengthStart[L] ..< lengthStart[L + 1]`. A run is (first, last) file positions as two
///   UInt16 in one UInt32 (`first | last << 16`): a pair's runs are the maximal runs of
///   consecutive files whose tag lists the prefix, sorted and separated by at least one file.
enum CompiledHistoryLayout {
    static let magic: [UInt8] = Array("STAGHIST".utf8)
    static let version: UInt32 = 1
    /// Runs store positions in 16 bits.
    static let maxFiles = Int(UInt16.max)

    enum FileRecord {
        static let size = 64
        static let name = 0, flags = 8, changeNumber = 16, sourceSize = 24, sha256 = 32
        static let hasChangeNumber: UInt32 = 1
    }

    enum TagFileRecord {
        static let size = 16
        static let flags = 0, changeNumber = 8
        static let present: UInt32 = 1, hasChangeNumber: UInt32 = 2
    }

    static let files = CompiledSection(rawValue: 101)
    static let strings = CompiledSection(rawValue: 102)
    static let tags = CompiledSection(rawValue: 103)
    static let tagFiles = CompiledSection(rawValue: 104)

    /// The arrays of one family's pairs, in this order from `familyBase`.
    static let familyArrays = ["addresses", "lengths", "tags", "runStart", "runs", "lengthStart"]
    static func familyBase(_ v4: Bool) -> UInt32 { v4 ? 110 : 120 }
    static func family(_ v4: Bool, _ array: String) -> CompiledSection {
        CompiledSection(rawValue: familyBase(v4) + UInt32(familyArrays.firstIndex(of: array)!))
    }

    static let all: [CompiledSection] = [files, strings, tags, tagFiles]
        + [true, false].flatMap { v4 in familyArrays.map { family(v4, $0) } }

    static let format = CompiledFormat(magic: magic, version: version, sections: all,
                                       noun: "compiled history", shortNoun: "history", remedy: "stag compile --archive")

    /// The name and element size of a history section kind, nil for other kinds.
    static func section(_ rawValue: UInt32) -> (name: String, elementSize: Int)? {
        switch rawValue {
        case 101: return ("files", FileRecord.size)
        case 102: return ("strings", 1)
        case 103: return ("tags", 8)
        case 104: return ("tagFiles", TagFileRecord.size)
        case 110 ..< 110 + UInt32(familyArrays.count), 120 ..< 120 + UInt32(familyArrays.count):
            let v4 = rawValue < 120
            let array = familyArrays[Int(rawValue - familyBase(v4))]
            let size = switch array {
            case "addresses": v4 ? 4 : 16
            case "lengths": 1
            default: 4
            }
            return ((v4 ? "v4." : "v6.") + array, size)
        default: return nil
        }
    }
}

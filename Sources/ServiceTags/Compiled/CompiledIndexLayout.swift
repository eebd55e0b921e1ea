/// The fixed layout of a compiled index (see docs/compiled-index.md): a 96-byte header, a table of
/// sections, then the sections, each at a 16-byte aligned offset, all integers little-endian.
///
/// ```
/// offset  size  field
///      0     8  magic "STAGIDX\0"
///      8     4  format version (UInt32)
///     12     4  flags (bit 0: the file has a changeNumber; other bits must be 0)
///     16     8  checksum (UInt64) of every byte of the file but these eight
///     24     8  file size in bytes
///     32    32  SHA-256 of the source JSON file
///     64     8  source file size
///     72     8  changeNumber (Int64; 0 when absent)
///     80     4  section count
///     84    12  reserved, 0
///     96  24·n  section table: kind (UInt32), reserved (UInt32, 0), offset (UInt64), length (UInt64)
/// ```
enum CompiledIndexLayout {
    static let magic: [UInt8] = Array("STAGIDX".utf8) + [0]
    /// 2: sections 16-byte aligned, so that arrays (UInt128 keys among them) are used in place.
    /// 3: a node's info word holds its bitmaps' word counts (`StrideTable.childCountsShift`).
    /// 4: a family's root may be stored as its 2^16 entries and viewed in place (header flags
    ///    `flagFlatRoot`): 3 always stored runs of equal entries, which every load expanded into
    ///    2 × 256 KiB of fresh memory.
    static let version: UInt32 = 4
    static let headerSize = 96
    static let sectionEntrySize = 24
    /// Every section's offset and the file's size are multiples of this: the alignment of the
    /// widest element (`UInt128`), so a mapped section is a valid typed array as it lies.
    static let alignment = 16
    /// Where the checksum field sits; the checksum covers every other byte.
    static let checksumOffset = 16
    static let flagHasChangeNumber: UInt32 = 1
    /// Header flags 2 (IPv4) and 4 (IPv6): that family's root is stored flat, else as runs.
    static func flagFlatRoot(_ v4: Bool) -> UInt32 { v4 ? 2 : 4 }
    /// A family's root is stored flat from this many distinct prefixes (the Public file has 38,415
    /// IPv4 and 13,925 IPv6): then it is mostly short runs, and expanding it costs a real file's
    /// every load ~0.2 ms; below, runs keep a small index a few KB (the exhaustive flip and
    /// truncation tests load it once per byte).
    static let flatRootMinimumPrefixes = 1024
    /// The longest string (name, id, region, ...) an index holds, in UTF-8 bytes.
    static let maxStringBytes = 4096

    /// Header field offsets.
    enum Field {
        static let version = 8, flags = 12, checksum = 16, fileSize = 24, sourceSHA256 = 32, sourceSize = 64
        static let changeNumber = 72, sectionCount = 80
    }

    /// One record of the `tags` section (80 bytes): five strings as (offset, length) into
    /// `strings`, then changeNumber and regionId (Int64), the presence bits, the tag's
    /// `features` range (start, count), and its prefix counts in `model.ipv4` / `model.ipv6`.
    enum TagRecord {
        static let size = 80
        static let strings = 0  // name, id, region, platform, systemService: 5 × 8 bytes
        static let changeNumber = 40, regionId = 48, presence = 56, featuresStart = 60, featuresCount = 64
        static let ipv4Count = 68, ipv6Count = 72
        static let hasChangeNumber: UInt32 = 1, hasRegionId: UInt32 = 2, hasNetworkFeatures: UInt32 = 4
    }
}

/// A section's kind: what it holds and the size of one element. Every kind appears exactly once.
struct CompiledSection: Hashable, Sendable {
    let rawValue: UInt32

    /// The model (everything `tags`, `info`, `export` and `diff` read).
    static let cloud = CompiledSection(rawValue: 1)
    static let strings = CompiledSection(rawValue: 2)
    static let tags = CompiledSection(rawValue: 3)
    /// (offset, length) pairs into `strings`, each tag's networkFeatures in order.
    static let features = CompiledSection(rawValue: 4)
    static let modelIPv4Addresses = CompiledSection(rawValue: 5)
    static let modelIPv4Lengths = CompiledSection(rawValue: 6)
    static let modelIPv6Addresses = CompiledSection(rawValue: 7)
    static let modelIPv6Lengths = CompiledSection(rawValue: 8)

    /// The arrays of one `FamilyIndex` and its `StrideTable`, in this order from `familyBase`;
    /// each as in memory, except `root` when stored as runs of equal entries (first slot, entry).
    static let familyArrays = ["prefixes.addresses", "prefixes.lengths", "parent", "tagSet", "tagSetStart", "tagSetMembers",
                               "matchStart", "matches", "root", "nodes", "leaves", "key", "fallback"]
    static func familyBase(_ v4: Bool) -> UInt32 { v4 ? 16 : 48 }
    static func family(_ v4: Bool, _ array: String) -> CompiledSection {
        CompiledSection(rawValue: familyBase(v4) + UInt32(familyArrays.firstIndex(of: array)!))
    }

    /// Every kind a version-2 index holds, in the order the writer lays them out.
    static let all: [CompiledSection] = [.cloud, .strings, .tags, .features, .modelIPv4Addresses, .modelIPv4Lengths,
                                         .modelIPv6Addresses, .modelIPv6Lengths]
        + [true, false].flatMap { v4 in familyArrays.indices.map { CompiledSection(rawValue: familyBase(v4) + UInt32($0)) } }

    /// `ipv4.nodes`, `model.ipv6.addresses`, `tags`...: names in messages.
    var name: String {
        switch self {
        case .cloud: return "cloud"
        case .strings: return "strings"
        case .tags: return "tags"
        case .features: return "features"
        case .modelIPv4Addresses: return "model.ipv4.addresses"
        case .modelIPv4Lengths: return "model.ipv4.lengths"
        case .modelIPv6Addresses: return "model.ipv6.addresses"
        case .modelIPv6Lengths: return "model.ipv6.lengths"
        default:
            if let h = CompiledHistoryLayout.section(rawValue) { return h.name }
            for v4 in [true, false] where rawValue >= Self.familyBase(v4) && rawValue < Self.familyBase(v4) + UInt32(Self.familyArrays.count) {
                return (v4 ? "ipv4." : "ipv6.") + Self.familyArrays[Int(rawValue - Self.familyBase(v4))]
            }
            return "kind \(rawValue)"
        }
    }

    /// Bytes per element; a section's length must be a multiple of it.
    var elementSize: Int {
        switch self {
        case .cloud, .strings, .modelIPv4Lengths, .modelIPv6Lengths: return 1
        case .tags: return CompiledIndexLayout.TagRecord.size
        case .features: return 8
        case .modelIPv4Addresses: return 4
        case .modelIPv6Addresses: return 16
        default:
            if let h = CompiledHistoryLayout.section(rawValue) { return h.elementSize }
            let v4 = rawValue < Self.familyBase(false)
            switch Self.familyArrays[Int(rawValue - Self.familyBase(v4))] {
            case "prefixes.lengths": return 1
            case "prefixes.addresses", "key": return v4 ? 4 : 16
            case "matches", "nodes": return 8
            // `UInt32` entries, or (slot, entry) pairs of them: the loader checks a root of runs
            // for whole pairs itself (`CompiledIndex.root`).
            default: return 4
            }
        }
    }
}

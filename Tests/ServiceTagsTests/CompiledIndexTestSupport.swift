@testable import ServiceTags
import ServiceTagsTestSupport

/// Compiling, loading and patching compiled indexes in tests.
enum CompiledIndexTestSupport {
    static let sha: [UInt8] = (0 ..< 32).map { UInt8($0 * 7 & 0xFF) }

    static func compile(_ file: ServiceTagsFile) throws -> [UInt8] {
        try CompiledIndex.compile(file, sourceSHA256: sha, sourceSize: 4_108_133)
    }

    static func load(_ bytes: [UInt8]) -> Result<CompiledIndex, CompiledIndexError> {
        load(bytes, count: bytes.count)
    }

    /// Loads the first `count` bytes (a truncated file) without copying them.
    static func load(_ bytes: [UInt8], count: Int) -> Result<CompiledIndex, CompiledIndexError> {
        bytes.withUnsafeBytes { raw in
            do throws(CompiledIndexError) {
                return .success(try CompiledIndex(bytes: UnsafeRawBufferPointer(rebasing: raw[0 ..< count])))
            } catch {
                return .failure(error)
            }
        }
    }

    static func loadError(_ bytes: [UInt8]) -> CompiledIndexError? {
        if case .failure(let e) = load(bytes) { return e }
        return nil
    }

    /// The byte range of a section, read from a valid index's table.
    static func range(_ bytes: [UInt8], _ kind: CompiledSection) throws -> Range<Int> {
        try bytes.withUnsafeBytes { raw in try CompiledIndexReader(CompiledIndexMemory(copying: raw)).range(kind) }
    }

    /// Recomputes the checksum after a deliberate edit, so only validation can catch it.
    static func reseal(_ bytes: inout [UInt8]) { CompiledIndex.resealChecksum(&bytes) }

    static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }

    static func get<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, in bytes: [UInt8]) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// Answers as comparable values: (tag, prefix) in the index's order.
    static func answers(_ index: TagIndex, _ address: IPAddress) -> [ReferenceTagTable.Answer] {
        index.matches(for: address).map { .init(tag: Int($0.tag), prefix: $0.prefix) }
    }

    /// A model with every optional field both present and absent, and strings worth escaping.
    static func edgeCaseFile() -> ServiceTagsFile {
        let p4 = IPv4Prefix(masking: IPv4Address(20, 62, 128, 0), length: 17)
        let p6 = IPv6Prefix(masking: IPv6Address(bits: 0x2603_1000 << 96), length: 40)
        return ServiceTagsFile(changeNumber: nil, cloud: "Public", tags: [
            ServiceTag(name: "AzureCloud", id: "AzureCloud", changeNumber: 375, region: "", regionId: 0, platform: "Azure",
                       systemService: "", networkFeatures: ["API", "NSG"], ipv4: [p4, p4], ipv6: [p6]),
            ServiceTag(name: "Ünïcødé.日本", id: "", changeNumber: nil, region: "japaneast", regionId: nil, platform: "",
                       systemService: "Svc\"\\\n", networkFeatures: [], ipv4: [], ipv6: []),
            ServiceTag(name: "Nil", networkFeatures: nil, ipv4: [IPv4Prefix(masking: IPv4Address(bits: 0), length: 0)],
                       ipv6: [IPv6Prefix(masking: IPv6Address(bits: 1), length: 128)]),
        ])
    }
}

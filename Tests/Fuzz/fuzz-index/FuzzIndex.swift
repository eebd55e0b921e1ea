import FuzzSupport
import ServiceTags
import ServiceTagsTestSupport

/// Fuzzes the compiled index loader (`CompiledIndex(bytes:)`: header, section table, checksum,
/// model decoding and the index's structural validation).
///
/// An input is a list of edits to one fixed, valid index (compiled at start-up from a small
/// synthetic file): byte 0's bit 0 says whether to recompute the checksum after editing, bit 1
/// whether to cut the file to the length given by bytes 1...2; then 5 bytes per edit, a
/// little-endian `UInt32` offset (modulo the size) and a byte to XOR there (0 means 1).
///
/// Properties, for every input:
/// - A rejection's offset lies inside the bytes checked.
/// - Without a recomputed checksum, an accepted file has the original model and gives the
///   original's answers to every probe (the checksum sees every one-word change).
/// - With one, an accepted file (crafted, not corrupted) answers every probe, address and prefix,
///   without crashing or looping: validation bounds every index a lookup uses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    guard let flags = input.first else { return 0 }
    var bytes = FuzzIndexOriginal.bytes
    var k = 1
    var cut = bytes.count
    if flags & 2 != 0 && input.count >= 3 {
        cut = min(bytes.count, Int(input[1]) | Int(input[2]) << 8)
        k = 3
    }
    while k + 5 <= input.count {
        let offset = Int(UInt32(input[k]) | UInt32(input[k + 1]) << 8 | UInt32(input[k + 2]) << 16 | UInt32(input[k + 3]) << 24) % bytes.count
        bytes[offset] ^= input[k + 4] == 0 ? 1 : input[k + 4]
        k += 5
    }
    let resealed = flags & 1 != 0
    if resealed { CompiledIndex.resealChecksum(&bytes) }
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let result = bytes.withUnsafeBytes { all -> Result<CompiledIndex, CompiledIndexError> in
        do throws(CompiledIndexError) {
            return .success(try CompiledIndex(bytes: UnsafeRawBufferPointer(rebasing: all[0 ..< cut])))
        } catch {
            return .failure(error)
        }
    }
    switch result {
    case .failure(let error):
        if let offset = error.offset, offset < 0 || offset > cut { FuzzDriver.fail("error offset \(offset) outside \(cut) bytes: \(error)", raw) }
    case .success(let loaded):
        let answers = FuzzIndexOriginal.probes.map { loaded.index.matches(for: $0) }
        let prefixAnswers = FuzzIndexOriginal.prefixProbes.map { loaded.index.matches(for: $0) }
        if !resealed {
            if loaded.file.tags != FuzzIndexOriginal.file.tags { FuzzDriver.fail("accepted a corrupted model", raw) }
            if answers != FuzzIndexOriginal.answers || prefixAnswers != FuzzIndexOriginal.prefixAnswers {
                FuzzDriver.fail("accepted a corrupted index that answers differently", raw)
            }
        }
    }
    return 0
}

/// The index every input edits, and its answers.
enum FuzzIndexOriginal {
    static let file = SyntheticServiceTags(.init(tags: 8, prefixes: 60, seed: 4)).file
    static let bytes: [UInt8] = try! CompiledIndex.compile(file, sourceSHA256: [UInt8](repeating: 1, count: 32), sourceSize: 1)
    static let original: CompiledIndex = bytes.withUnsafeBytes { try! CompiledIndex(bytes: $0) }
    /// Each prefix's first and last address and their neighbours, and a few fixed ones.
    static let probes: [IPAddress] = file.tags.flatMap { tag in
        tag.ipv4.flatMap { p in [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1].map { IPAddress.v4(IPv4Address(bits: $0)) } }
            + tag.ipv6.flatMap { p in [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1].map { IPAddress.v6(IPv6Address(bits: $0)) } }
    } + [.v4(IPv4Address(bits: 0)), .v4(IPv4Address(bits: .max)), .v6(IPv6Address(bits: 0)), .v6(IPv6Address(bits: .max))]
    static let prefixProbes: [IPPrefix] = file.tags.flatMap { $0.ipv4.map(IPPrefix.v4) + $0.ipv6.map(IPPrefix.v6) }
    static let answers = probes.map { original.index.matches(for: $0) }
    static let prefixAnswers = prefixProbes.map { original.index.matches(for: $0) }
}

@main struct FuzzIndexMain {
    static func main() { FuzzDriver.main(fuzzIndex) }
}

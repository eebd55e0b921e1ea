import FuzzSupport
import ServiceTags
import ServiceTagsTestSupport

/// Fuzzes the compiled history loader (`CompiledHistory(bytes:)`: the shared container, the
/// files, tags and per-(tag, file) records, both families' pairs and runs) and its queries.
///
/// An input is a list of edits to one fixed, valid history (compiled at start-up from a small
/// synthetic archive of three files), encoded as for `fuzz-index`: byte 0's bit 0 says whether to
/// recompute the checksum after editing, bit 1 whether to cut the file to the length given by
/// bytes 1...2; then 5 bytes per edit, a little-endian `UInt32` offset (modulo the size) and a
/// byte to XOR there (0 means 1).
///
/// Properties, for every input:
/// - A rejection's offset lies inside the bytes checked.
/// - Without a recomputed checksum, an accepted file gives the original's answers (address
///   intervals, tag weeks, file records).
/// - With one, an accepted file answers every probe and every tag without crashing or looping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHistory(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = [UInt8](UnsafeRawBufferPointer(start: data, count: size))
    guard let flags = input.first else { return 0 }
    var bytes = FuzzHistoryOriginal.bytes
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
    if resealed { CompiledHistory.resealChecksum(&bytes) }
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let result = bytes.withUnsafeBytes { all -> Result<CompiledHistory, CompiledIndexError> in
        do throws(CompiledIndexError) {
            return .success(try CompiledHistory(bytes: UnsafeRawBufferPointer(rebasing: all[0 ..< cut])))
        } catch {
            return .failure(error)
        }
    }
    switch result {
    case .failure(let error):
        if let offset = error.offset, offset < 0 || offset > cut { FuzzDriver.fail("error offset \(offset) outside \(cut) bytes: \(error)", raw) }
    case .success(let loaded):
        let answers = FuzzHistoryOriginal.answers(loaded)
        if !resealed && answers != FuzzHistoryOriginal.original {
            FuzzDriver.fail("accepted a corrupted history that answers differently", raw)
        }
    }
    return 0
}

/// The history every input edits, and its answers.
enum FuzzHistoryOriginal {
    static let files = HistorySamples.archive(weeks: 3, seed: 2, tags: 6, prefixes: 40).files
    static let bytes: [UInt8] = {
        var b = CompiledHistoryBuilder()
        for (i, f) in files.enumerated() {
            try! b.add(f, fileName: "ServiceTags_Public_2024010\(i + 1).json", sha256: [UInt8](repeating: UInt8(i), count: 32), size: 100)
        }
        return try! b.finish()
    }()
    static let queries = HistorySamples.queries(files, count: 40, seed: 8)
    static let everything = TagSelection([TagPattern("*")])

    struct Answers: Equatable {
        var addresses: [AddressHistory]
        var tags: [TagHistory]
        var files: [CompiledHistory.File]
    }

    static func answers(_ h: CompiledHistory) -> Answers {
        Answers(addresses: h.addressHistories(queries), tags: h.tagHistories(selecting: everything), files: h.files)
    }

    static let original = answers(bytes.withUnsafeBytes { try! CompiledHistory(bytes: $0) })
}

@main struct FuzzHistoryMain {
    static func main() { FuzzDriver.main(fuzzHistory) }
}

import ExportTargetModels
import FuzzSupport
import ServiceTags

/// Fuzzes the ServiceTags reader (`ServiceTagsFile(bytes:path:)`: JSON scanner, schema, prefixes).
///
/// Properties, for every input:
/// - Rejected: the error has a location, and it lies inside the input (byte offset `0...count`,
///   line and column from 1, the line no more than the input's lines).
/// - Accepted, and also read by `JSONSerializationServiceTags` (Foundation's `JSONSerialization`
///   plus `SlowAddressParser`): both give the same change number, cloud and tags.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let bytes = [UInt8](raw)
    let file: ServiceTagsFile
    do { file = try ServiceTagsFile(bytes: bytes, path: "fuzz") } catch {
        guard let l = error.location else { FuzzDriver.fail("error without a location: \(error)", raw) }
        let lines = 1 + bytes.count(where: { $0 == 0x0A })
        guard l.offset >= 0, l.offset <= bytes.count, l.line >= 1, l.line <= lines, l.column >= 1 else {
            FuzzDriver.fail("error location outside the input: \(error)", raw)
        }
        return 0
    }
    if let reference = try? JSONSerializationServiceTags.read(bytes),
       !JSONSerializationServiceTags.same(file, reference) {
        FuzzDriver.fail("reader and JSONSerialization disagree:\n  reader \(file.tags)\n  reference \(reference.tags)", raw)
    }
    return 0
}

@main struct FuzzReaderMain {
    static func main() { FuzzDriver.main(fuzzReader) }
}

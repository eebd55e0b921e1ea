import FuzzSupport
import ServiceTags
import ServiceTagsTestSupport

/// Fuzzes `AddressScanner` (the byte-level scan `stag grep` runs on every line) and
/// `AddressExtractor.addresses(in:)` built on it, against `SlowAddressExtractor`.
///
/// Properties, for every input (the reference sees the bytes decoded as UTF-8 with replacement):
/// - The scanner over the raw bytes reports exactly the reference's addresses, in the same order,
///   and the text at each reported range equals the reference's (invalid UTF-8 never forms or
///   breaks an address: address characters are ASCII).
/// - `AddressExtractor.addresses(in:)` on the decoded line agrees too.
/// - Every address `SlowAddressExtractor` finds is the text at its reported byte range: that substring
///   parses strictly (`IPAddress(parsing:)`) to the address (before IPv4-mapped unmapping).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtractor(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let line = String(decoding: raw, as: UTF8.self)
    let fast = AddressExtractor.addresses(in: line)
    let slow = SlowAddressExtractor.addresses(in: line)
    guard fast == slow.map(\.address) else {
        FuzzDriver.fail("extractor \(fast) != reference \(slow.map(\.address))", raw)
    }
    let bytes = Array(line.utf8)
    let rawBytes = Array(raw)
    let scanned = AddressScanner.addresses(in: rawBytes.span, from: 0, to: size)
    guard scanned.map(\.address) == slow.map(\.address),
          zip(scanned, slow).allSatisfy({ Array(raw[$0.start ..< $0.end]) == Array(bytes[$1.range]) }) else {
        FuzzDriver.fail("scanner \(scanned) != reference \(slow)", raw)
    }
    for found in slow {
        let text = String(decoding: bytes[found.range], as: UTF8.self)
        guard let parsed = try? IPAddress(parsing: text), parsed.unmapped == found.address else {
            FuzzDriver.fail("\(text) at \(found.range) does not parse strictly to \(found.address)", raw)
        }
    }
    return 0
}

@main struct FuzzExtractorMain {
    static func main() { FuzzDriver.main(fuzzExtractor) }
}

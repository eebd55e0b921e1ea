import FuzzSupport
import ServiceTags
import ServiceTagsTestSupport

/// Fuzzes `AddressParser` through `IPPrefix(parsing:)` and `IPAddress(parsing:)`.
///
/// Properties, for every input:
/// - The fast parser and `SlowAddressParser` accept the same inputs with the same value (input that
///   is not UTF-8 must be rejected by the fast parser: every accepted byte is ASCII).
/// - A failure's offset lies inside the input (`0...count`).
/// - Accepted: `description` parses back to the same value, and equals `SlowAddressFormatter`'s text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrefix(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let bytes = [UInt8](raw)
    let text = String(validating: bytes, as: UTF8.self)
    check("prefix", raw, fast: { () throws(AddressParseFailure) in try IPPrefix(parsing: bytes.span) },
          slow: text.flatMap { SlowAddressParser.prefix($0) }, reference: SlowAddressFormatter.prefix,
          reparse: { try? IPPrefix(parsing: $0) })
    check("address", raw, fast: { () throws(AddressParseFailure) in try IPAddress(parsing: bytes.span) },
          slow: text.flatMap { SlowAddressParser.address($0) }, reference: SlowAddressFormatter.address,
          reparse: { try? IPAddress(parsing: $0) })
    return 0
}

/// The properties above for one kind of value: `fast` parses the input, `slow` is the reference's
/// answer, `reference` the reference text form, `reparse` parses a text form again.
func check<V: Equatable & CustomStringConvertible>(
    _ kind: String, _ raw: UnsafeRawBufferPointer, fast: () throws(AddressParseFailure) -> V, slow: V?,
    reference: (V) -> String, reparse: (String) -> V?
) {
    let parsed: V?
    do { parsed = try fast() } catch {
        if error.offset < 0 || error.offset > raw.count { FuzzDriver.fail("\(kind) error offset \(error.offset) outside the input", raw) }
        parsed = nil
    }
    guard parsed == slow else { FuzzDriver.fail("\(kind): fast \(String(describing: parsed)) != slow \(String(describing: slow))", raw) }
    guard let value = parsed else { return }
    let formatted = value.description
    guard formatted == reference(value) else { FuzzDriver.fail("\(kind) text \(formatted) != reference \(reference(value))", raw) }
    guard reparse(formatted) == value else { FuzzDriver.fail("\(kind) \(formatted) does not parse back", raw) }
}

@main struct FuzzPrefixMain {
    static func main() { FuzzDriver.main(fuzzPrefix) }
}

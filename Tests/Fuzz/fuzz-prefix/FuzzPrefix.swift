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
    checkPrefix(bytes, text, raw)
    checkAddress(bytes, text, raw)
    return 0
}

func checkPrefix(_ bytes: [UInt8], _ text: String?, _ raw: UnsafeRawBufferPointer) {
    let fast: IPPrefix?
    do { fast = try IPPrefix(parsing: bytes.span) } catch {
        if error.offset < 0 || error.offset > bytes.count { FuzzDriver.fail("prefix error offset \(error.offset) outside the input", raw) }
        fast = nil
    }
    let slow = text.flatMap { SlowAddressParser.prefix($0) }
    guard fast == slow else { FuzzDriver.fail("prefix: fast \(String(describing: fast)) != slow \(String(describing: slow))", raw) }
    guard let p = fast else { return }
    let formatted = p.description
    guard formatted == SlowAddressFormatter.prefix(p) else { FuzzDriver.fail("prefix text \(formatted) != reference \(SlowAddressFormatter.prefix(p))", raw) }
    guard (try? IPPrefix(parsing: formatted)) == p else { FuzzDriver.fail("prefix \(formatted) does not parse back", raw) }
}

func checkAddress(_ bytes: [UInt8], _ text: String?, _ raw: UnsafeRawBufferPointer) {
    let fast: IPAddress?
    do { fast = try IPAddress(parsing: bytes.span) } catch {
        if error.offset < 0 || error.offset > bytes.count { FuzzDriver.fail("address error offset \(error.offset) outside the input", raw) }
        fast = nil
    }
    let slow = text.flatMap { SlowAddressParser.address($0) }
    guard fast == slow else { FuzzDriver.fail("address: fast \(String(describing: fast)) != slow \(String(describing: slow))", raw) }
    guard let a = fast else { return }
    let formatted = a.description
    guard formatted == SlowAddressFormatter.address(a) else { FuzzDriver.fail("address text \(formatted) != reference", raw) }
    guard (try? IPAddress(parsing: formatted)) == a else { FuzzDriver.fail("address \(formatted) does not parse back", raw) }
}

@main struct FuzzPrefixMain {
    static func main() { FuzzDriver.main(fuzzPrefix) }
}

/// Text entry points: every one funnels into `AddressParser` over the UTF-8 bytes, so strings and the
/// JSON scanner share one strict implementation.
extension AddressParseError {
    init(_ failure: AddressParseFailure, input: some StringProtocol) {
        self.init(input: String(input), offset: failure.offset, reason: failure.reason)
    }
}

@inlinable
func withBytes<R, E: Error>(_ text: some StringProtocol, _ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
    let bytes = Array(text.utf8)
    return try body(bytes.span)
}

extension IPv4Address {
    /// Parses a dotted quad strictly (see `AddressParser`).
    public init(parsing text: some StringProtocol) throws(AddressParseError) {
        do { self.init(bits: try withBytes(text) { (b) throws(AddressParseFailure) in try AddressParser.ipv4(b, 0, b.count) }) }
        catch { throw AddressParseError(error, input: text) }
    }
    /// Parses the whole span as a dotted quad.
    public init(parsing bytes: Span<UInt8>) throws(AddressParseFailure) {
        self.init(bits: try AddressParser.ipv4(bytes, 0, bytes.count))
    }
}

extension IPv6Address {
    /// Parses an IPv6 address strictly (see `AddressParser`).
    public init(parsing text: some StringProtocol) throws(AddressParseError) {
        do { self.init(bits: try withBytes(text) { (b) throws(AddressParseFailure) in try AddressParser.ipv6(b, 0, b.count) }) }
        catch { throw AddressParseError(error, input: text) }
    }
    public init(parsing bytes: Span<UInt8>) throws(AddressParseFailure) {
        self.init(bits: try AddressParser.ipv6(bytes, 0, bytes.count))
    }
}

extension IPAddress {
    /// Parses either family: a `:` means IPv6. IPv4-mapped IPv6 stays IPv6 here; use `unmapped`.
    public init(parsing text: some StringProtocol) throws(AddressParseError) {
        do { self = try withBytes(text) { (b) throws(AddressParseFailure) in try IPAddress(parsing: b) } }
        catch { throw AddressParseError(error, input: text) }
    }
    public init(parsing bytes: Span<UInt8>) throws(AddressParseFailure) {
        var i = 0
        while i < bytes.count, bytes[i] != UInt8(ascii: ":") { i += 1 }
        self = i < bytes.count ? .v6(IPv6Address(bits: try AddressParser.ipv6(bytes, 0, bytes.count)))
                               : .v4(IPv4Address(bits: try AddressParser.ipv4(bytes, 0, bytes.count)))
    }
}

extension IPPrefix {
    /// Parses `address/length` strictly: host bits set is an error, never masked.
    public init(parsing text: some StringProtocol) throws(AddressParseError) {
        do { self = try withBytes(text) { (b) throws(AddressParseFailure) in try AddressParser.prefix(b, 0, b.count) } }
        catch { throw AddressParseError(error, input: text) }
    }
    public init(parsing bytes: Span<UInt8>) throws(AddressParseFailure) {
        self = try AddressParser.prefix(bytes, 0, bytes.count)
    }
}

/// An address of either family: the façade used by the CLI and mixed lists.
///
/// Ordering: every IPv4 address sorts before every IPv6 address (the CLI's sorting rule).
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// The address to look up: an IPv4-mapped IPv6 address becomes its IPv4 address.
    public var unmapped: IPAddress {
        if case .v6(let a) = self, let v4 = a.unmappedIPv4 { return .v4(v4) }
        return self
    }

    public var isIPv4: Bool { if case .v4 = self { true } else { false } }

    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }

    public init?(_ text: String) { try? self.init(parsing: text) }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        switch (a, b) {
        case (.v4(let x), .v4(let y)): x < y
        case (.v6(let x), .v6(let y)): x < y
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}

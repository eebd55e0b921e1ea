/// The rule a rule-writing format puts around its objects: `--direction`, `--protocol`, `--port`,
/// `--action`, `--profile` and `--chain` of `stag export` and `stag diff --format`.
///
/// Built once from the option strings (`init(parsing:)`), validated here, and passed to the
/// formats through `ExportOptions.rule`; formats never see a string they must check. Ports are
/// the *remote* port of an outbound rule and the *local* port of an inbound one: the destination
/// port of the packets in both directions (see `PowerShellFormat` for why this matters).
///
/// Invariants: `ports` is sorted, its ranges disjoint and not adjacent (merged), each within
/// 1...65535; `ports` is empty unless `transport` is `.tcp` or `.udp` (empty means every port).
public struct FirewallRule: Sendable, Hashable {
    public enum Direction: String, Sendable, CaseIterable { case outbound, inbound }
    public enum Transport: String, Sendable, CaseIterable { case any, tcp, udp, icmp }
    public enum Action: String, Sendable, CaseIterable { case allow, block }
    public enum Profile: String, Sendable, CaseIterable { case any, domain, `private`, `public` }

    /// `lower...upper`, a single port when both are equal.
    public struct PortRange: Sendable, Hashable {
        public var lower: UInt16
        public var upper: UInt16
        public init(_ lower: UInt16, _ upper: UInt16) {
            precondition(1 <= lower && lower <= upper)
            self.lower = lower
            self.upper = upper
        }
        public var isSinglePort: Bool { lower == upper }
    }

    /// One rule option of the command line.
    public enum Option: String, Sendable, CaseIterable {
        case direction, transport = "protocol", port, action, profile, chain
        /// `--direction`, `--protocol`, ...
        public var flag: String { "--" + rawValue }
    }

    public var direction: Direction = .outbound
    public var transport: Transport = .any
    public var ports: [PortRange] = []
    public var action: Action = .allow
    public var profile: Profile = .any
    /// `--chain`: the nft or iptables chain; nil lets the format derive it from the base name.
    public var chain: String?
    /// The options given explicitly (formats refuse the ones they cannot write).
    public var given: Set<Option> = []

    /// The default rule: outbound, any protocol and port, allow, every profile.
    public init() {}

    /// A rule from option values (absent options keep their defaults).
    ///
    /// - Throws: `FirewallRuleError` for a value outside an option's choices, a malformed or
    ///   out-of-range port, a range whose first port is above its last, or `--port` without
    ///   `--protocol tcp|udp`.
    /// - Complexity: O(p log p) for p port items.
    public init(parsing values: [Option: String]) throws(FirewallRuleError) {
        given = Set(values.keys)
        if let v = values[.direction] { direction = try Self.choice(v, .direction) }
        if let v = values[.transport] { transport = try Self.choice(v, .transport) }
        if let v = values[.action] { action = try Self.choice(v, .action) }
        if let v = values[.profile] { profile = try Self.choice(v, .profile) }
        chain = values[.chain]
        if let v = values[.port] {
            ports = try Self.ports(v)
            guard transport == .tcp || transport == .udp else { throw FirewallRuleError.portNeedsTransport(transport.rawValue) }
        }
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ option: Option) throws(FirewallRuleError) -> T
        where T.RawValue == String {
        if let value = T(rawValue: text) { return value }
        throw FirewallRuleError.invalidChoice(option: option.flag, value: text, choices: T.allCases.map(\.rawValue))
    }

    /// `443`, `80,443`, `5000-5100` (items separated by commas) as sorted, merged ranges.
    /// - Throws: `FirewallRuleError.invalidPort` naming the offending item.
    public static func ports(_ text: String) throws(FirewallRuleError) -> [PortRange] {
        var ranges: [PortRange] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw FirewallRuleError.invalidPort(String(item), reason: "a range is LOW-HIGH") }
            let lower = try port(ends[0], in: item)
            let upper = ends.count == 2 ? try port(ends[1], in: item) : lower
            guard lower <= upper else { throw FirewallRuleError.invalidPort(String(item), reason: "the range's first port is above its last") }
            ranges.append(PortRange(lower, upper))
        }
        ranges.sort { $0.lower < $1.lower }
        var merged: [PortRange] = []
        for r in ranges {
            if let last = merged.last, UInt32(r.lower) <= UInt32(last.upper) + 1 {
                merged[merged.count - 1].upper = max(last.upper, r.upper)
            } else {
                merged.append(r)
            }
        }
        return merged
    }

    /// A decimal port 1...65535: ASCII digits only (no sign, space or hex), at most five.
    static func port(_ text: Substring, in item: Substring) throws(FirewallRuleError) -> UInt16 {
        guard !text.isEmpty, text.utf8.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int(text), n >= 1, n <= 65_535 else {
            throw FirewallRuleError.invalidPort(String(item), reason: "a port is a number from 1 to 65535")
        }
        return UInt16(n)
    }
}

/// Why rule options are rejected; the CLI exits 2 with the description.
public enum FirewallRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidChoice(option: String, value: String, choices: [String])
    case invalidPort(String, reason: String)
    case portNeedsTransport(String)

    public var description: String {
        switch self {
        case .invalidChoice(let option, let value, let choices):
            "\(option): '\(value)' is not one of " + choices.joined(separator: ", ")
        case .invalidPort(let item, let reason):
            "--port: '\(item)' is not valid: \(reason) (e.g. 443, 80,443 or 5000-5100)"
        case .portNeedsTransport(let transport):
            "--port needs --protocol tcp or udp (the protocol is \(transport)): only TCP and UDP have ports"
        }
    }
}

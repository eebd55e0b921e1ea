import Foundation
import ServiceTags
import ServiceTagsTestSupport

/// Small interpreters of each target's syntax, written from the vendor documentation, that run an
/// exported script on a simulated target. They are the tests' independent reading of the output:
/// a full list loaded on an empty target must hold exactly the selection, and a delta run on the
/// old full list must leave exactly what the new full list loads.
///
/// The state is every object's entries, keyed by the target's name (and the family where the
/// target keeps families in separate namespaces, e.g. `ip:NAME`). The interpreters are strict:
/// they reject what the real target rejects (nft overlaps, duplicate adds, deleting what is not
/// there, unknown lines), so sloppy output fails.
typealias TargetState = [String: Set<IPPrefix>]

struct ModelError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// A simulated target: `run` executes a script on it, `objects` is what it holds now. Internal
/// state (address objects, set parameters, sequence numbers) persists between runs, so a delta
/// runs on exactly what the full list left.
protocol TargetModel: AnyObject {
    func run(_ script: String) throws
    var objects: TargetState { get }
}

/// A model whose whole state is the objects' entries.
protocol ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws
}

final class Simulated<M: ObjectsModel>: TargetModel {
    let model: M
    var objects: TargetState = [:]
    init(_ model: M) { self.model = model }
    func run(_ script: String) throws { try model.run(script, on: &objects) }
}

enum TargetModels {
    static func model(for id: String) -> any TargetModel {
        switch id {
        case "txt", "paloalto-edl": Simulated(PlainListModel())
        case "csv": Simulated(CSVModel())
        case "json": Simulated(JSONListModel())
        case "terraform": Simulated(TerraformModel())
        case "azure-ipgroup": Simulated(AzureIPGroupModel())
        case "nft": NftModel()
        case "ipset": IpsetModel()
        case "powershell": PowerShellModel()
        case "fortigate": FortiGateModel()
        case "cisco-ios": CiscoIOSModel()
        case "cisco-asa": Simulated(CiscoASAModel())
        case "juniper": Simulated(JuniperModel())
        case "mikrotik": Simulated(MikroTikModel())
        case "aws-prefix-list": AWSModel()
        case "iptables": IptablesModel(v6: false)
        case "ip6tables": IptablesModel(v6: true)
        default: fatalError("no model for \(id)")
        }
    }

    /// The format whose output must be loaded first for `id`'s to make sense: iptables rules
    /// match the sets of the `ipset` file of the same selection and options.
    static func companion(for id: String) -> String? { id == "iptables" || id == "ip6tables" ? "ipset" : nil }

    static func lines(_ script: String) -> [Substring] {
        var lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func prefix(_ text: some StringProtocol) throws -> IPPrefix {
        // The independent parser: a model must not read the output with the code under test.
        do { return try SlowAddressParser.requirePrefix(String(text)) } catch { throw ModelError("bad prefix '\(text)': \(error)") }
    }

    /// `a.b.c.d m.m.m.m` (address and contiguous netmask) as a prefix.
    static func prefix(address: some StringProtocol, mask: some StringProtocol) throws -> IPPrefix {
        guard let m = SlowAddressParser.ipv4(String(mask)) else { throw ModelError("bad mask '\(mask)'") }
        let length = m.nonzeroBitCount
        guard m == (length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)) else { throw ModelError("non-contiguous mask '\(mask)'") }
        return try prefix("\(address)/\(length)")
    }

    /// The contents of a single-quoted PowerShell string starting at `text`'s first character.
    static func singleQuoted(_ text: Substring) throws -> (value: String, rest: Substring) {
        guard text.first == "'" else { throw ModelError("expected a quoted string in '\(text)'") }
        var value = ""
        var i = text.index(after: text.startIndex)
        while i < text.endIndex {
            if text[i] == "'" {
                let next = text.index(after: i)
                if next < text.endIndex && text[next] == "'" { value.append("'"); i = text.index(after: next); continue }
                return (value, text[next...])
            }
            value.append(text[i])
            i = text.index(after: i)
        }
        throw ModelError("unterminated string in '\(text)'")
    }
}

extension IPPrefix {
    var isV6: Bool { !isIPv4 }
    /// The first and last address as 128-bit values in one space (IPv4 offset above IPv6 never
    /// matters: callers compare within a family).
    var bounds: (UInt128, UInt128) {
        switch self {
        case .v4(let p): (UInt128(p.first.bits), UInt128(p.last.bits))
        case .v6(let p): (p.first.bits, p.last.bits)
        }
    }
    func overlaps(_ other: IPPrefix) -> Bool {
        guard isIPv4 == other.isIPv4 else { return false }
        let (a, b) = bounds, (c, d) = other.bounds
        return a <= d && c <= b
    }
}

/// txt and PAN-OS EDL: one prefix per line; an EDL line may carry ` comment` after the entry.
struct PlainListModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        var set = Set<IPPrefix>()
        for line in TargetModels.lines(script) {
            let entry = line.split(separator: " ", maxSplits: 1).first ?? ""
            guard set.insert(try TargetModels.prefix(entry)).inserted else { throw ModelError("duplicate \(entry)") }
        }
        state = ["": set]
    }
}

/// RFC 4180 CSV with the header `prefix,family,tags`.
struct CSVModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        let lines = TargetModels.lines(script)
        guard lines.first == "prefix,family,tags" else { throw ModelError("bad header") }
        var set = Set<IPPrefix>()
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { throw ModelError("bad row \(line)") }
            let p = try TargetModels.prefix(fields[0])
            guard fields[1] == (p.isIPv4 ? "ipv4" : "ipv6") else { throw ModelError("wrong family in \(line)") }
            guard set.insert(p).inserted else { throw ModelError("duplicate \(line)") }
        }
        state = ["": set]
    }
}

/// `{"tags","excluded","changeNumber","ipv4","ipv6"}`, read with JSONSerialization.
struct JSONListModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any],
              let v4 = root["ipv4"] as? [String], let v6 = root["ipv6"] as? [String], root["tags"] is [String] else {
            throw ModelError("bad JSON shape")
        }
        let all = try (v4 + v6).map { try TargetModels.prefix($0) }
        guard all.prefix(v4.count).allSatisfy(\.isIPv4), all.dropFirst(v4.count).allSatisfy(\.isV6) else { throw ModelError("families mixed up") }
        state = ["": Set(all)]
    }
}

/// tfvars JSON: `{VAR: {NAME: [cidr, ...]}}`.
struct TerraformModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: [String: [String]]], root.count == 1 else {
            throw ModelError("bad tfvars shape")
        }
        state = [:]
        for (name, cidrs) in root.first!.value { state[name] = Set(try cidrs.map { try TargetModels.prefix($0) }) }
    }
}

/// ARM template: `resources[*]` of type `Microsoft.Network/ipGroups`, IPv4 `ipAddresses`.
struct AzureIPGroupModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        guard let root = try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any],
              root["$schema"] is String, let resources = root["resources"] as? [[String: Any]] else { throw ModelError("bad template") }
        state = [:]
        for r in resources {
            guard r["type"] as? String == "Microsoft.Network/ipGroups", let name = r["name"] as? String,
                  let props = r["properties"] as? [String: Any], let cidrs = props["ipAddresses"] as? [String] else { throw ModelError("bad resource") }
            let set = Set(try cidrs.map { try TargetModels.prefix($0) })
            guard set.allSatisfy(\.isIPv4), state[name] == nil, !set.isEmpty else { throw ModelError("bad group \(name)") }
            state[name] = set
        }
    }
}

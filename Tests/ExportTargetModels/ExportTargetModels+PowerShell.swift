import Foundation
import ServiceTags

/// The PowerShell the exporter writes, read as the NetSecurity cmdlets would run it (MS Learn
/// New-NetFirewallRule, Set-NetFirewallRule, Get-NetFirewallRule, Remove-NetFirewallRule): rules
/// by name with their address lists and rule parameters, each in the rule group (`$group`) that
/// created it.
///
/// Understood statements: the `$rules` table with the fixed update loop (`Get-NetFirewallRule
/// -Name $name` true: `Set-NetFirewallRule` changes the rule's parameters and addresses in place
/// and keeps its group; false: `New-NetFirewallRule` creates it in `$group`); the full list's
/// closing removal of the group's other rules; and the delta's guarded removal
/// `Get-NetFirewallRule -Name 'X' -ErrorAction SilentlyContinue | Remove-NetFirewallRule`. A rule
/// may never get an empty list (that would mean any address) or more than 1,000.
///
/// Parameters are checked against the documented values: `-Direction Inbound|Outbound`,
/// `-Protocol TCP|UDP|ICMPv4|ICMPv6|Any` before any port, `-LocalPort`/`-RemotePort` (`Any`, or
/// ports and quoted ranges separated by commas) only with TCP or UDP, `-Action Allow|Block`,
/// `-Profile Any|Domain|Private|Public`, `-Enabled True`. A new rule's unspecified port is `Any`.
final class PowerShellModel: TargetModel {
    var objects: TargetState = [:]
    var groupOf: [String: String] = [:]
    /// Rule name -> parameter (`Direction`, `Protocol`, `LocalPort`, ...) -> value, ports without quotes.
    var parameters: [String: [String: String]] = [:]

    static let loopOpen = [
        "foreach ($name in $rules.Keys) {",
        "    if (Get-NetFirewallRule -Name $name -ErrorAction SilentlyContinue) {",
    ]
    static let setPrefix = "        Set-NetFirewallRule -Name $name "
    static let newPrefix = "        New-NetFirewallRule -Name $name -DisplayName $name -Group $group "
    static let groupRemoval = "Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue | Where-Object { -not $rules.Contains($_.Name) } | Remove-NetFirewallRule"

    func run(_ script: String) throws {
        let lines = TargetModels.lines(script)
        var i = 0
        var rules = objects, groups = groupOf, params = parameters
        var group: String?
        var table: [String] = []   // the last table's names, for the group removal
        /// Reads `'a'` lines until a line starting with `)`.
        func addresses() throws -> Set<IPPrefix> {
            var set = Set<IPPrefix>()
            i += 1
            while i < lines.count && !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix(")") {
                let (value, rest) = try TargetModels.singleQuoted(lines[i].drop { $0 == " " })
                guard rest.isEmpty, set.insert(try TargetModels.prefix(value)).inserted else { throw ModelError("bad address line \(lines[i])") }
                i += 1
            }
            guard !set.isEmpty, set.count <= 1_000 else { throw ModelError("rule with \(set.count) addresses") }
            return set
        }
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("#") || line == "$ErrorActionPreference = 'Stop'" {
            } else if line.hasPrefix("$group = ") {
                let (name, rest) = try TargetModels.singleQuoted(line.dropFirst("$group = ".count))
                guard rest.isEmpty else { throw ModelError("bad \(line)") }
                group = name
            } else if line == "$rules = [ordered]@{" {
                var entries: [(String, Set<IPPrefix>)] = []
                i += 1
                while i < lines.count && lines[i] != "}" {
                    let (name, rest) = try TargetModels.singleQuoted(lines[i].drop { $0 == " " })
                    guard rest == " = @(", !entries.contains(where: { $0.0 == name }) else { throw ModelError("bad rule entry \(lines[i])") }
                    entries.append((name, try addresses()))
                    i += 1
                }
                guard i + 7 < lines.count, Array(lines[(i + 1)...(i + 2)]) == Self.loopOpen.map({ Substring($0) }),
                      lines[i + 3].hasPrefix(Self.setPrefix), lines[i + 3].hasSuffix(" -RemoteAddress $rules[$name]"),
                      lines[i + 4] == "    } else {", lines[i + 5].hasPrefix(Self.newPrefix),
                      lines[i + 5].hasSuffix(" -RemoteAddress $rules[$name] | Out-Null"), lines[i + 6] == "    }", lines[i + 7] == "}" else {
                    throw ModelError("missing or changed update loop after the table")
                }
                guard let group else { throw ModelError("a table without $group") }
                let set = try Self.parameters(lines[i + 3].dropFirst(Self.setPrefix.count).dropLast(" -RemoteAddress $rules[$name]".count))
                var new = try Self.parameters(lines[i + 5].dropFirst(Self.newPrefix.count).dropLast(" -RemoteAddress $rules[$name] | Out-Null".count))
                for key in ["LocalPort", "RemotePort"] where new[key] == nil && ["TCP", "UDP"].contains(new["Protocol"]) { new[key] = "Any" }
                for (name, addresses) in entries {
                    if rules[name] != nil {
                        params[name, default: [:]].merge(set) { $1 }
                        if !["TCP", "UDP"].contains(set["Protocol"]) { params[name]?["LocalPort"] = nil; params[name]?["RemotePort"] = nil }
                    } else {
                        groups[name] = group
                        params[name] = new
                    }
                    rules[name] = addresses
                }
                table = entries.map(\.0)
                i += 7
            } else if line == Self.groupRemoval {
                guard let group else { throw ModelError("group removal without $group") }
                for (name, owner) in groups where owner == group && !table.contains(name) {
                    rules[name] = nil
                    groups[name] = nil
                    params[name] = nil
                }
            } else if line.hasPrefix("Get-NetFirewallRule -Name '") && line.hasSuffix(" -ErrorAction SilentlyContinue | Remove-NetFirewallRule") {
                let (name, rest) = try TargetModels.singleQuoted(line.dropFirst("Get-NetFirewallRule -Name ".count))
                guard rest == " -ErrorAction SilentlyContinue | Remove-NetFirewallRule" else { throw ModelError("bad \(line)") }
                rules[name] = nil
                groups[name] = nil
                params[name] = nil
            } else {
                throw ModelError("unknown line: \(line)")
            }
            i += 1
        }
        objects = rules
        groupOf = groups
        parameters = params
    }

    static let choices: [String: Set<String>] = [
        "Direction": ["Inbound", "Outbound"], "Protocol": ["TCP", "UDP", "ICMPv4", "ICMPv6", "Any"],
        "Action": ["Allow", "Block"], "Profile": ["Any", "Domain", "Private", "Public"], "Enabled": ["True"],
    ]

    /// `-Name Value` pairs, checked against the documented values.
    static func parameters(_ text: Substring) throws -> [String: String] {
        let words = text.split(separator: " ")
        guard words.count % 2 == 0 else { throw ModelError("odd parameter list: \(text)") }
        var out: [String: String] = [:]
        for k in stride(from: 0, to: words.count, by: 2) {
            guard words[k].hasPrefix("-") else { throw ModelError("expected a parameter in \(text)") }
            let name = String(words[k].dropFirst()), value = String(words[k + 1])
            guard out[name] == nil else { throw ModelError("-\(name) given twice") }
            if name == "LocalPort" || name == "RemotePort" {
                guard let p = out["Protocol"], p == "TCP" || p == "UDP" else { throw ModelError("-\(name) without -Protocol TCP|UDP first: \(text)") }
                out[name] = try ports(value)
            } else if let allowed = choices[name] {
                guard allowed.contains(value) else { throw ModelError("-\(name) \(value) is not a documented value") }
                out[name] = value
            } else {
                throw ModelError("unexpected parameter -\(name)")
            }
        }
        for required in ["Direction", "Protocol", "Action", "Profile", "Enabled"] where out[required] == nil {
            throw ModelError("rule without -\(required): \(text)")
        }
        return out
    }

    /// `Any`, or `443`, `80,443,'5000-5100'`: numbers 1-65535 and quoted ranges LOW-HIGH.
    static func ports(_ value: String) throws -> String {
        if value == "Any" { return value }
        var items: [String] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            let quoted = item.hasPrefix("'") && item.hasSuffix("'") && item.count > 2
            let bare = quoted ? item.dropFirst().dropLast() : item
            let ends = bare.split(separator: "-").compactMap { Int($0) }
            guard ends.allSatisfy({ (1...65_535).contains($0) }), ends.count == (bare.contains("-") ? 2 : 1),
                  ends.count == 1 || (quoted && ends[0] <= ends[1]) else { throw ModelError("bad port item \(item)") }
            items.append(String(bare))
        }
        return items.joined(separator: ",")
    }
}

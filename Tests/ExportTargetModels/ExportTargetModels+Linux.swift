import ServiceTags

/// nftables as `man nft` describes it, for the statements the exporter writes. A file is one
/// transaction: on any error nothing changes. Interval sets reject an element overlapping another
/// ("conflicting intervals specified"), accept re-adding an identical one, and refuse to delete a
/// missing one ("element does not exist").
final class NftModel: TargetModel {
    var objects: TargetState = [:]
    var families: [String: Bool] = [:]   // set name -> is IPv6

    func run(_ script: String) throws {
        // Work on copies: a failing file changes nothing.
        var sets = objects
        var family = families
        let lines = TargetModels.lines(script)
        var i = 0
        func elements(_ head: Substring) throws -> [IPPrefix] {
            var text = head.drop { $0 != "{" }.dropFirst()
            while !text.contains("}") {
                i += 1
                guard i < lines.count else { throw ModelError("unterminated element list") }
                text += lines[i]
            }
            let body = text.prefix { $0 != "}" }
            return try body.split(separator: ",").map { try TargetModels.prefix($0.trimmingCharacters(in: .whitespaces)) }
        }
        while i < lines.count {
            let line = lines[i]
            let words = line.split(separator: " ")
            if line.isEmpty || line.hasPrefix("#") {
            } else if line.hasPrefix("table inet azst {") {
                i += 1
                while i < lines.count && lines[i] != "}" {
                    let w = lines[i].split(whereSeparator: { $0 == " " || $0 == "\t" })
                    guard w.count == 3, w[0] == "set", w[2] == "{" else { throw ModelError("bad set declaration \(lines[i])") }
                    let name = String(w[1])
                    guard lines[i + 1].contains("type ipv4_addr") || lines[i + 1].contains("type ipv6_addr"),
                          lines[i + 2] == "\t\tflags interval", lines[i + 3] == "\t}" else { throw ModelError("bad set body for \(name)") }
                    let v6 = lines[i + 1].contains("ipv6")
                    if let known = family[name], known != v6 { throw ModelError("set \(name) redeclared") }
                    if sets[name] == nil { sets[name] = [] }
                    family[name] = v6
                    i += 4
                }
            } else if words.count == 5, words[0] == "flush", words[1] == "set", words[3] == "azst" {
                guard sets[String(words[4])] != nil else { throw ModelError("flush of missing set \(words[4])") }
                sets[String(words[4])] = []
            } else if words.count == 5, words[0] == "delete", words[1] == "set" {
                guard sets.removeValue(forKey: String(words[4])) != nil else { throw ModelError("delete of missing set") }
            } else if words.count >= 6, words[1] == "element", words[3] == "azst", words[5] == "{" {
                let name = String(words[4])
                guard var set = sets[name], let v6 = family[name] else { throw ModelError("no set \(name)") }
                for p in try elements(line) {
                    guard p.isV6 == v6 else { throw ModelError("wrong family \(p) in \(name)") }
                    if words[0] == "add" {
                        if set.contains(p) { continue }
                        if let other = set.first(where: { $0.overlaps(p) }) { throw ModelError("conflicting intervals: \(p) and \(other)") }
                        set.insert(p)
                    } else if words[0] == "delete" {
                        guard set.remove(p) != nil else { throw ModelError("element does not exist: \(p)") }
                    } else {
                        throw ModelError("unknown verb \(line)")
                    }
                }
                sets[name] = set
            } else {
                throw ModelError("unknown statement: \(line)")
            }
            i += 1
        }
        objects = sets
        families = family
    }
}

/// `ipset restore` per `man ipset`: line by line, not atomic. `-exist` turns an identical
/// re-create, an add of a present entry, a del of a missing entry and a destroy of a missing set
/// into no-ops; without it each is an error. `swap` exchanges two sets of the same family.
final class IpsetModel: TargetModel {
    struct SetInfo { var v6: Bool; var maxelem: Int; var entries: Set<IPPrefix> }
    var sets: [String: SetInfo] = [:]
    var objects: TargetState { sets.mapValues(\.entries) }

    func run(_ script: String) throws {
        for line in TargetModels.lines(script) where !line.hasPrefix("#") {
            var w = line.split(separator: " ").map(String.init)
            let exist = w.last == "-exist"
            if exist { w.removeLast() }
            switch w.first {
            case "create":
                guard w.count == 9, w[2] == "hash:net", w[3] == "family", w[5] == "hashsize", w[7] == "maxelem", let m = Int(w[8]) else {
                    throw ModelError("bad create: \(line)")
                }
                let info = SetInfo(v6: w[4] == "inet6", maxelem: m, entries: [])
                if let old = sets[w[1]] {
                    guard exist, old.v6 == info.v6, old.maxelem == m else { throw ModelError("set with the same name already exists: \(line)") }
                } else {
                    sets[w[1]] = info
                }
            case "destroy":
                if sets.removeValue(forKey: w[1]) == nil && !exist { throw ModelError("no set \(w[1])") }
            case "add", "del":
                guard w.count == 3, var info = sets[w[1]] else { throw ModelError("bad \(line)") }
                let p = try TargetModels.prefix(w[2])
                guard p.isV6 == info.v6, p.length > 0 else { throw ModelError("entry not valid for the set: \(line)") }
                if w[0] == "add" {
                    if !info.entries.insert(p).inserted && !exist { throw ModelError("already added: \(line)") }
                    if info.entries.count > info.maxelem { throw ModelError("hash is full: \(line)") }
                } else if info.entries.remove(p) == nil && !exist {
                    throw ModelError("not in set: \(line)")
                }
                sets[w[1]] = info
            case "swap":
                guard w.count == 3, let a = sets[w[1]], let b = sets[w[2]], a.v6 == b.v6 else { throw ModelError("bad swap \(line)") }
                sets[w[1]] = b
                sets[w[2]] = a
            default:
                throw ModelError("unknown command: \(line)")
            }
        }
    }
}

/// The PowerShell the exporter writes, read as the NetSecurity cmdlets would run it: rules by
/// name with their address lists, each in the rule group (`$group`) that created it. `New-` of an
/// existing rule and `Set-`/`Remove-` of a missing one fail; a rule may never get an empty list
/// (that would mean any address) or more than 1,000. A full list's closing
/// `Get-NetFirewallRule -Group $group | ... | Remove-NetFirewallRule` removes only that group's
/// other rules, so several exports can share one firewall.
final class PowerShellModel: TargetModel {
    var objects: TargetState = [:]
    var groupOf: [String: String] = [:]

    func run(_ script: String) throws {
        let lines = TargetModels.lines(script)
        var i = 0
        var rules = objects
        var groups = groupOf
        var group: String?
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
                // Full list: the table, then the fixed update loop and the removal of other rules.
                var table: TargetState = [:]
                i += 1
                while lines[i] != "}" {
                    let (name, rest) = try TargetModels.singleQuoted(lines[i].drop { $0 == " " })
                    guard rest == " = @(", table[name] == nil else { throw ModelError("bad rule entry \(lines[i])") }
                    table[name] = try addresses()
                    i += 1
                }
                let loop = lines[(i + 1)...].prefix(8).joined(separator: "\n")
                guard loop.contains("Set-NetFirewallRule -Name $name -RemoteAddress $rules[$name]"),
                      loop.contains("New-NetFirewallRule -Name $name -DisplayName $name -Group $group -Direction Outbound -Action Allow -RemoteAddress $rules[$name]"),
                      lines.last?.hasPrefix("Get-NetFirewallRule -Group $group") == true else { throw ModelError("missing update loop") }
                guard let group else { throw ModelError("full list without $group") }
                for (name, set) in table {
                    // Set-NetFirewallRule on an existing rule keeps its group; New- puts it in $group.
                    if rules[name] == nil { groups[name] = group }
                    rules[name] = set
                }
                for (name, owner) in groups where owner == group && table[name] == nil {
                    rules[name] = nil
                    groups[name] = nil
                }
                break
            } else if line.hasPrefix("Set-NetFirewallRule -Name ") || line.hasPrefix("New-NetFirewallRule -Name ") {
                let (name, _) = try TargetModels.singleQuoted(line.dropFirst("Set-NetFirewallRule -Name ".count))
                let creating = line.hasPrefix("New-")
                guard (rules[name] == nil) == creating else { throw ModelError("\(creating ? "New" : "Set") of \(name): wrong existence") }
                guard line.hasSuffix("-RemoteAddress @(") else { throw ModelError("bad \(line)") }
                if creating {
                    guard let group, line.contains(" -Group $group ") else { throw ModelError("New- without the group: \(line)") }
                    groups[name] = group
                }
                rules[name] = try addresses()
            } else if line.hasPrefix("Remove-NetFirewallRule -Name ") {
                let (name, _) = try TargetModels.singleQuoted(line.dropFirst("Remove-NetFirewallRule -Name ".count))
                guard rules.removeValue(forKey: name) != nil else { throw ModelError("remove of missing rule \(name)") }
                groups[name] = nil
            } else {
                throw ModelError("unknown line: \(line)")
            }
            i += 1
        }
        objects = rules
        groupOf = groups
    }
}

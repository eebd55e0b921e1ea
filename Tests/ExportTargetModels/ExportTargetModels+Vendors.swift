import Foundation
import ServiceTags

/// FortiOS CLI (CLI reference 6.0): address objects by name, groups of member names. `set member`
/// replaces a group's members, `append`/`unselect` edit them; a group must end non-empty with
/// members of its own family; an address in use by a group cannot be deleted. State: `v4:GROUP`
/// and `v6:GROUP`, resolved to prefixes.
final class FortiGateModel: TargetModel {
    var addresses: [String: IPPrefix] = [:]
    var groups: [String: [String]] = [:]     // key "v4:NAME" / "v6:NAME"
    var objects: TargetState = [:]

    func run(_ script: String) throws {
        var context = "", current: String?
        func names(_ rest: Substring) throws -> [String] {
            let parts = rest.split(separator: " ")
            return try parts.map { part in
                guard part.count > 2, part.first == "\"", part.last == "\"" else { throw ModelError("unquoted name \(part)") }
                return String(part.dropFirst().dropLast())
            }
        }
        for line in TargetModels.lines(script) {
            let t = line.trimmingCharacters(in: .whitespaces)
            let v6 = context.hasSuffix("6")
            if t.hasPrefix("config firewall ") {
                guard context.isEmpty else { throw ModelError("nested config") }
                context = String(t.dropFirst("config firewall ".count))
            } else if t == "end" {
                context = ""
            } else if t.hasPrefix("edit ") {
                current = try names(t.dropFirst(5)).first
                if context.hasPrefix("addrgrp"), groups[(v6 ? "v6:" : "v4:") + current!] == nil { groups[(v6 ? "v6:" : "v4:") + current!] = [] }
            } else if t == "next" {
                if context.hasPrefix("addrgrp"), let g = current {
                    let members = groups[(v6 ? "v6:" : "v4:") + g] ?? []
                    guard !members.isEmpty else { throw ModelError("group \(g) without members") }
                    for m in members {
                        guard let p = addresses[m], p.isV6 == v6 else { throw ModelError("member \(m) of \(g) missing or of the wrong family") }
                    }
                } else if context.hasPrefix("address"), let a = current, addresses[a] == nil {
                    throw ModelError("address \(a) without a subnet")
                }
                current = nil
            } else if t.hasPrefix("set subnet "), context == "address", let a = current {
                let w = t.split(separator: " ")
                addresses[a] = try TargetModels.prefix(address: w[2], mask: w[3])
            } else if t.hasPrefix("set ip6 "), context == "address6", let a = current {
                addresses[a] = try TargetModels.prefix(t.dropFirst("set ip6 ".count))
            } else if let g = current, context.hasPrefix("addrgrp"), t.hasPrefix("set member ") || t.hasPrefix("append member ") || t.hasPrefix("unselect member ") {
                let key = (v6 ? "v6:" : "v4:") + g
                let verb = t.prefix { $0 != " " }
                let listed = try names(t.dropFirst(verb.count + " member ".count))
                switch verb {
                case "set": groups[key] = listed
                case "append":
                    for n in listed { guard !groups[key]!.contains(n) else { throw ModelError("\(n) already in \(g)") }; groups[key]!.append(n) }
                default:
                    for n in listed { guard let k = groups[key]!.firstIndex(of: n) else { throw ModelError("\(n) not in \(g)") }; groups[key]!.remove(at: k) }
                }
            } else if t.hasPrefix("set comment \""), current != nil, context.hasPrefix("addrgrp") {
            } else if t.hasPrefix("delete ") {
                let name = try names(t.dropFirst(7))[0]
                if context.hasPrefix("addrgrp") {
                    guard groups.removeValue(forKey: (v6 ? "v6:" : "v4:") + name) != nil else { throw ModelError("no group \(name)") }
                } else {
                    guard addresses[name] != nil else { throw ModelError("no address \(name)") }
                    guard !groups.values.contains(where: { $0.contains(name) }) else { throw ModelError("address \(name) is in use") }
                    addresses[name] = nil
                }
            } else {
                throw ModelError("unknown line: \(line)")
            }
        }
        objects = try groups.mapValues { try Set($0.map { m in guard let p = addresses[m] else { throw ModelError("dangling \(m)") }; return p }) }
    }
}

/// Cisco IOS prefix lists: `ip`/`ipv6 prefix-list NAME [seq N] permit PREFIX`; without `seq` the
/// entry gets the highest plus 5; `no ... permit PREFIX` removes that entry (an error if absent);
/// `no ip prefix-list NAME` removes the list. State: `ip:NAME` / `ipv6:NAME`.
final class CiscoIOSModel: TargetModel {
    var lists: [String: [Int: IPPrefix]] = [:]
    var objects: TargetState { lists.mapValues { Set($0.values) } }

    func run(_ script: String) throws {
        for line in TargetModels.lines(script) where !line.hasPrefix("!") {
            var w = line.split(separator: " ").map(String.init)
            let negate = w.first == "no"
            if negate { w.removeFirst() }
            guard w.count >= 3, w[0] == "ip" || w[0] == "ipv6", w[1] == "prefix-list" else { throw ModelError("unknown line: \(line)") }
            let key = w[0] + ":" + w[2]
            if w.count == 3 {
                guard negate else { throw ModelError("bad \(line)") }
                lists[key] = nil
                continue
            }
            var seq: Int?
            var rest = Array(w[3...])
            if rest.first == "seq", rest.count >= 2 { seq = Int(rest[1]); rest.removeFirst(2) }
            guard rest.count == 2, rest[0] == "permit" else { throw ModelError("bad \(line)") }
            let p = try TargetModels.prefix(rest[1])
            guard p.isV6 == (w[0] == "ipv6") else { throw ModelError("wrong family: \(line)") }
            var list = lists[key] ?? [:]
            if negate {
                guard let k = list.first(where: { $0.value == p && (seq == nil || $0.key == seq) })?.key else { throw ModelError("no entry: \(line)") }
                list[k] = nil
            } else {
                guard !list.values.contains(p) else { throw ModelError("duplicate: \(line)") }
                let s = seq ?? ((list.keys.max() ?? 0) + 5)
                guard list[s] == nil else { throw ModelError("sequence taken: \(line)") }
                list[s] = p
            }
            lists[key] = list
        }
    }
}

/// Cisco ASA `object-group network NAME` with ` network-object ADDRESS MASK` (IPv4) or
/// ` network-object PREFIX` (IPv6), ` no network-object ...` and `no object-group network NAME`.
struct CiscoASAModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        var groups = state
        var current: String?
        for line in TargetModels.lines(script) where !line.hasPrefix("!") {
            let w = line.split(separator: " ")
            if line.hasPrefix("object-group network "), w.count == 3 {
                current = String(w[2])
                if groups[current!] == nil { groups[current!] = [] }
            } else if line.hasPrefix("no object-group network "), w.count == 4 {
                guard groups.removeValue(forKey: String(w[3])) != nil else { throw ModelError("no group \(w[3])") }
                current = nil
            } else if line.hasPrefix(" description "), current != nil {
            } else if let g = current, line.hasPrefix(" network-object ") || line.hasPrefix(" no network-object ") {
                let negate = w[0] == "no"
                let args = Array(w.dropFirst(negate ? 2 : 1))
                let p = args.count == 2 ? try TargetModels.prefix(address: args[0], mask: args[1]) : try TargetModels.prefix(args[0])
                if args.count == 1 && p.isIPv4 { throw ModelError("IPv4 must be address and mask: \(line)") }
                if negate {
                    guard groups[g]!.remove(p) != nil else { throw ModelError("no such object: \(line)") }
                } else {
                    guard groups[g]!.insert(p).inserted else { throw ModelError("duplicate: \(line)") }
                }
            } else {
                throw ModelError("unknown line: \(line)")
            }
        }
        state = groups
    }
}

/// Junos: the `load replace` text (`policy-options { replace: prefix-list N { P; } }`) and `load
/// set` lines (`set`/`delete policy-options prefix-list N [P]`; deleting a missing entry fails).
struct JuniperModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        var lists = state
        let lines = TargetModels.lines(script).filter { !$0.hasPrefix("#") }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let w = line.split(separator: " ")
            if line == "policy-options {" {
                i += 1
                while lines[i] != "}" {
                    guard lines[i] == "    replace:", lines[i + 1].hasPrefix("    prefix-list "), lines[i + 1].hasSuffix(" {") else { throw ModelError("bad \(lines[i])") }
                    let name = String(lines[i + 1].split(separator: " ")[1])
                    var set = Set<IPPrefix>()
                    i += 2
                    while lines[i] != "    }" {
                        let t = lines[i].trimmingCharacters(in: .whitespaces)
                        guard t.hasSuffix(";"), set.insert(try TargetModels.prefix(t.dropLast())).inserted else { throw ModelError("bad entry \(t)") }
                        i += 1
                    }
                    lists[name] = set
                    i += 1
                }
            } else if w.count >= 4, w[1] == "policy-options", w[2] == "prefix-list" {
                let name = String(w[3])
                if w[0] == "delete" && w.count == 4 {
                    guard lists.removeValue(forKey: name) != nil else { throw ModelError("no list \(name)") }
                } else if w.count == 5 {
                    let p = try TargetModels.prefix(w[4])
                    if w[0] == "set" { lists[name, default: []].insert(p) }
                    else if w[0] == "delete" { guard lists[name]?.remove(p) != nil else { throw ModelError("statement not found: \(line)") } }
                    else { throw ModelError("bad \(line)") }
                } else {
                    throw ModelError("bad \(line)")
                }
            } else {
                throw ModelError("unknown line: \(line)")
            }
            i += 1
        }
        state = lists
    }
}

/// RouterOS address lists in `/ip` and `/ipv6 firewall address-list`: `add list=N address=P`
/// (a duplicate is "already have such entry"), `remove [find list="N"]`, and
/// `remove [find list="N" address="A"]`, matching the address as RouterOS shows it (an IPv4 /32
/// bare). State: `ip:NAME` / `ipv6:NAME`.
struct MikroTikModel: ObjectsModel {
    func run(_ script: String, on state: inout TargetState) throws {
        var lists = state
        for line in TargetModels.lines(script) where !line.hasPrefix("#") {
            let menu = line.hasPrefix("/ip firewall address-list ") ? "ip" : line.hasPrefix("/ipv6 firewall address-list ") ? "ipv6" : ""
            guard !menu.isEmpty else { throw ModelError("unknown line: \(line)") }
            let command = line.dropFirst(menu == "ip" ? 26 : 28)
            if command.hasPrefix("add list=") {
                let parts = command.dropFirst(4).split(separator: " ")
                guard parts.count == 2, parts[1].hasPrefix("address=") else { throw ModelError("bad \(line)") }
                let key = menu + ":" + parts[0].dropFirst(5)
                let p = try TargetModels.prefix(parts[1].dropFirst(8))
                guard p.isV6 == (menu == "ipv6") else { throw ModelError("wrong menu: \(line)") }
                guard lists[key, default: []].insert(p).inserted else { throw ModelError("already have such entry: \(line)") }
            } else if command.hasPrefix("remove [find list=\""), command.hasSuffix("]") {
                let inner = command.dropFirst("remove [find ".count).dropLast()
                let fields = inner.split(separator: " ")
                let key = menu + ":" + fields[0].dropFirst(6).dropLast()
                if fields.count == 1 { lists[key] = nil; continue }
                guard fields.count == 2, fields[1].hasPrefix("address=\"") else { throw ModelError("bad \(line)") }
                let shown = String(fields[1].dropFirst(9).dropLast())
                let match = lists[key]?.first { p in
                    if case .v4(let q) = p, q.length == 32 { return q.address.description == shown }
                    return p.description == shown
                }
                guard let match else { throw ModelError("nothing matches: \(line)") }
                lists[key]!.remove(match)
            } else {
                throw ModelError("unknown command: \(line)")
            }
        }
        state = lists.filter { !$0.value.isEmpty }
    }
}

import ServiceTags

/// nftables as `man nft` describes it, for the statements the exporter writes. A file is one
/// transaction: on any error nothing changes. Interval sets reject an element overlapping another
/// ("conflicting intervals specified"), accept re-adding an identical one, and refuse to delete a
/// missing one ("element does not exist").
///
/// Base chains: declared in the table block (`chain C {`, `type filter hook output|input priority
/// 0; policy accept;`), emptied by `flush chain`, and filled by `add rule inet azst C ip|ip6
/// daddr|saddr @SET [MATCH] accept|drop`, whose set must exist with the rule's family; a set a
/// rule refers to cannot be deleted ("Device or resource busy").
final class NftModel: TargetModel {
    struct Rule: Equatable { var family: String; var peer: String; var set: String; var match: String; var verdict: String }
    struct Chain: Equatable { var hook: String; var rules: [Rule] }
    var objects: TargetState = [:]
    var families: [String: Bool] = [:]   // set name -> is IPv6
    var chains: [String: Chain] = [:]

    func run(_ script: String) throws {
        // Work on copies: a failing file changes nothing.
        var sets = objects
        var family = families
        var chainState = chains
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
                    if w.count == 3, w[0] == "chain", w[2] == "{" {
                        let hook = lines[i + 1].hasPrefix("\t\ttype filter hook output ") ? "output"
                            : lines[i + 1].hasPrefix("\t\ttype filter hook input ") ? "input" : ""
                        guard !hook.isEmpty, lines[i + 1].hasSuffix(" priority 0; policy accept;"), lines[i + 2] == "\t}" else {
                            throw ModelError("bad chain declaration \(lines[i + 1])")
                        }
                        if let known = chainState[String(w[1])], known.hook != hook { throw ModelError("chain \(w[1]) redeclared with another hook") }
                        if chainState[String(w[1])] == nil { chainState[String(w[1])] = Chain(hook: hook, rules: []) }
                        i += 3
                        continue
                    }
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
            } else if words.count == 5, words[0] == "flush", words[1] == "chain", words[3] == "azst" {
                guard chainState[String(words[4])] != nil else { throw ModelError("flush of missing chain \(words[4])") }
                chainState[String(words[4])]?.rules = []
            } else if words.count >= 8, words[0] == "add", words[1] == "rule", words[3] == "azst" {
                let name = String(words[4])
                guard let chain = chainState[name] else { throw ModelError("rule in missing chain \(name)") }
                guard ["ip", "ip6"].contains(words[5]), words[6] == (chain.hook == "output" ? "daddr" : "saddr"), words[7].hasPrefix("@"),
                      let verdict = words.last, ["accept", "drop"].contains(verdict) else { throw ModelError("bad rule \(line)") }
                let set = String(words[7].dropFirst())
                guard let v6 = family[set], sets[set] != nil, v6 == (words[5] == "ip6") else { throw ModelError("rule on a missing or other-family set: \(line)") }
                let match = words[8..<(words.count - 1)].joined(separator: " ")
                guard Self.validMatch(match, v6: v6) else { throw ModelError("bad match '\(match)' in \(line)") }
                chainState[name]?.rules.append(Rule(family: String(words[5]), peer: String(words[6]), set: set, match: match, verdict: String(verdict)))
            } else if words.count == 5, words[0] == "delete", words[1] == "set" {
                if chainState.values.contains(where: { $0.rules.contains { $0.set == words[4] } }) {
                    throw ModelError("delete of set \(words[4]) in use by a rule: Device or resource busy")
                }
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
        chains = chainState
    }

    /// `` (any), `meta l4proto tcp|udp|icmp|ipv6-icmp`, or `tcp|udp dport { 443, 5000-5100 }`.
    static func validMatch(_ match: String, v6: Bool) -> Bool {
        if match.isEmpty || match == "meta l4proto tcp" || match == "meta l4proto udp" { return true }
        if match == (v6 ? "meta l4proto ipv6-icmp" : "meta l4proto icmp") { return true }
        let w = match.split(separator: " ", maxSplits: 2)
        guard w.count == 3, w[0] == "tcp" || w[0] == "udp", w[1] == "dport", w[2].hasPrefix("{ "), w[2].hasSuffix(" }") else { return false }
        return w[2].dropFirst(2).dropLast(2).split(separator: ", ").allSatisfy { item in
            let ends = item.split(separator: "-").compactMap { Int($0) }
            return ends.count == item.split(separator: "-").count && ends.allSatisfy { (1...65_535).contains($0) } && (ends.count == 1 || ends.count == 2 && ends[0] <= ends[1])
        }
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
            case "flush":
                guard w.count == 2, sets[w[1]] != nil else { throw ModelError("flush of a missing set: \(line)") }
                sets[w[1]]?.entries = []
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

import ServiceTags

/// `ipset restore` and `iptables-restore --noflush` (or `ip6tables-restore`) on one machine, per
/// `man ipset`, `man iptables-restore` and `man iptables-extensions`: a script with a `*filter`
/// line is a restore file, anything else goes to the ipset model (`IpsetModel`).
///
/// A restore file is applied per table at `COMMIT`, all or nothing. With `--noflush`, `:CHAIN - [0:0]`
/// creates a user chain or flushes it; `-A CHAIN -m set --match-set SET dst|src [-p P [-m multiport
/// --dports LIST]] -j ACCEPT|DROP` needs the set to exist with the table's family ("The protocol
/// family of set X is IPv6, which is not applicable"), `-p` before a port match, at most 15 ports
/// in a multiport list (a range counts two). `objects` are the sets the chains' rules match, each
/// with its entries: what the firewall acts on.
final class IptablesModel: TargetModel {
    struct Rule: Equatable { var set: String; var side: String; var proto: String?; var ports: String?; var target: String }
    let v6: Bool
    let ipset = IpsetModel()
    var chains: [String: [Rule]] = [:]

    init(v6: Bool) { self.v6 = v6 }

    var objects: TargetState {
        var out: TargetState = [:]
        for rule in chains.values.joined() { out[rule.set] = ipset.sets[rule.set]?.entries ?? [] }
        return out
    }

    func run(_ script: String) throws {
        let lines = TargetModels.lines(script)
        guard lines.contains("*filter") else { return try ipset.run(script) }
        var pending = chains
        var inTable = false
        for line in lines where !line.hasPrefix("#") && !line.isEmpty {
            if line == "*filter" {
                guard !inTable else { throw ModelError("*filter inside a table") }
                inTable = true
                pending = chains
            } else if line == "COMMIT" {
                guard inTable else { throw ModelError("COMMIT outside a table") }
                chains = pending
                inTable = false
            } else if line.hasPrefix(":") {
                let w = line.dropFirst().split(separator: " ")
                guard inTable, w.count == 3, w[1] == "-", w[2] == "[0:0]", w[0].count <= 28 else { throw ModelError("bad chain line \(line)") }
                pending[String(w[0])] = []
            } else if line.hasPrefix("-A ") {
                guard inTable else { throw ModelError("rule outside a table") }
                let w = line.split(separator: " ").map(String.init)
                guard w.count >= 9, pending[w[1]] != nil, w[2] == "-m", w[3] == "set", w[4] == "--match-set", ["dst", "src"].contains(w[6]),
                      w[w.count - 2] == "-j", ["ACCEPT", "DROP"].contains(w[w.count - 1]) else { throw ModelError("bad rule \(line)") }
                guard let set = ipset.sets[w[5]] else { throw ModelError("Set \(w[5]) doesn't exist") }
                guard set.v6 == v6 else { throw ModelError("The protocol family of set \(w[5]) is not applicable") }
                var rest = Array(w[7..<(w.count - 2)])
                var rule = Rule(set: w[5], side: w[6], proto: nil, ports: nil, target: w[w.count - 1])
                if rest.count >= 2 && rest[0] == "-p" {
                    guard ["tcp", "udp", v6 ? "ipv6-icmp" : "icmp"].contains(rest[1]) else { throw ModelError("bad protocol \(line)") }
                    rule.proto = rest[1]
                    rest.removeFirst(2)
                }
                if rest.count == 4 && rest[0] == "-m" && rest[1] == "multiport" && rest[2] == "--dports" {
                    guard rule.proto == "tcp" || rule.proto == "udp", Self.slots(rest[3]) != nil else { throw ModelError("bad ports \(line)") }
                    rule.ports = rest[3]
                    rest = []
                }
                guard rest.isEmpty else { throw ModelError("unexpected words in \(line)") }
                pending[w[1]]?.append(rule)
            } else {
                throw ModelError("unknown line: \(line)")
            }
        }
        guard !inTable else { throw ModelError("table without COMMIT: nothing applied") }
    }

    /// The multiport slots of `443,5000:5100` (a range counts two), nil when malformed or over 15.
    static func slots(_ list: String) -> Int? {
        var n = 0
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(ends.count), ends.allSatisfy({ $0.map { (1...65_535).contains($0) } ?? false }) else { return nil }
            if ends.count == 2 && ends[0]! > ends[1]! { return nil }
            n += ends.count
        }
        return n <= 15 ? n : nil
    }
}

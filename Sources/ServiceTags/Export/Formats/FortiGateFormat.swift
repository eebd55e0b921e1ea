/// `fortigate`: FortiOS CLI, one address object per prefix and address groups per family.
///
/// Full list (Fortinet CLI reference 6.0 `firewall address`, `firewall addrgrp`,
/// `firewall address6`, `firewall addrgrp6`): the address objects `AZ_<address>_<length>` (IPv6
/// colons written as `-`), then each group with `set member` (which replaces the member list) and
/// `set comment` (at most 255 characters). IPv4 and IPv6 groups are separate: "You cannot mix IPv4
/// firewall addresses and IPv6 firewall addresses in the same address group" (FortiOS 5.2).
///
/// Delta: new address objects; in each changed group `append member` then `unselect member`
/// (adding first, so a group is never emptied); new groups with `set member`, vanished ones with
/// `delete`; last, `delete` the address objects of prefixes that left the list (FortiOS refuses
/// while another group still uses one, which is the safe outcome). The member limit depends on
/// model and version (`print tablesize`), so there is none by default: pass `--max-entries`.
struct FortiGateFormat: ExportFormat {
    var id: String { "fortigate" }
    var summary: String { "FortiOS CLI: address objects and addrgrp/addrgrp6 groups" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), nameRule: Self.names, supportsDelta: true, writesScript: true,
                     lineLimit: Self.lineLimit)
    }

    static let names = ExportNameRule(maxLength: 63, allowed: .safeName, allowedFirst: .alphanumerics.union(ASCIISet("_")),
                                      summary: "1-63 characters from A-Z a-z 0-9 _ . -")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        let comment = ExportComments.description(plan.list, limit: 255)
        for v6 in [false, true] {
            let objects = plan.objects.filter { ($0.family == .ipv6) == v6 }
            if objects.isEmpty { continue }
            out.line(v6 ? "config firewall address6" : "config firewall address")
            for object in objects {
                for p in object.v4 { address(p, to: &out) }
                for p in object.v6 { address(p, to: &out) }
            }
            out.line("end")
            out.line(v6 ? "config firewall addrgrp6" : "config firewall addrgrp")
            for object in objects { group(object, comment: comment, to: &out) }
            out.line("end")
        }
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        let comment = ExportComments.description(delta.new.list, limit: 255)
        for v6 in [false, true] {
            let changes = delta.changes.filter { ($0.family == .ipv6) == v6 }
            let removed = v6 ? delta.removed6.count : delta.removed4.count
            if changes.isEmpty && removed == 0 { continue }
            let addressTable = v6 ? "config firewall address6" : "config firewall address"
            if changes.contains(where: { !$0.added4.isEmpty || !$0.added6.isEmpty }) {
                out.line(addressTable)
                for change in changes {
                    for p in change.added4 { address(p, to: &out) }
                    for p in change.added6 { address(p, to: &out) }
                }
                out.line("end")
            }
            if !changes.isEmpty {
                out.line(v6 ? "config firewall addrgrp6" : "config firewall addrgrp")
                for change in changes {
                    switch change.kind {
                    case .created:
                        if let object = change.new { group(object, comment: comment, to: &out) }
                    case .deleted:
                        out.line("    delete \"\(change.name)\"")
                    case .changed:
                        out.line("    edit \"\(change.name)\"")
                        members("append member", change.added4, change.added6, to: &out)
                        members("unselect member", change.removed4, change.removed6, to: &out)
                        out.line("    next")
                    }
                }
                out.line("end")
            }
            if removed > 0 {
                out.line(addressTable)
                if v6 { for p in delta.removed6 { deleteAddress(p, to: &out) } } else { for p in delta.removed4 { deleteAddress(p, to: &out) } }
                out.line("end")
            }
        }
    }

    /// `AZ_20.33.0.0_16`, `AZ_2603-1000--_40`.
    func writeName<A>(_ p: Prefix<A>, to out: inout ExportText) {
        out.write("\"AZ_")
        let start = out.bytes.count
        out.write(address: p.address)
        for i in start..<out.bytes.count where out.bytes[i] == UInt8(ascii: ":") { out.bytes[i] = UInt8(ascii: "-") }
        out.write("_")
        out.write(number: Int(p.length))
        out.write("\"")
    }

    func address<A>(_ p: Prefix<A>, to out: inout ExportText) {
        out.write("    edit ")
        writeName(p, to: &out)
        out.newline()
        if A.isIPv4 {
            out.write("        set subnet ")
            out.write(address: p.address)
            out.write(" ")
            out.writeMask(length: p.length)
        } else {
            out.write("        set ip6 ")
            out.write(p)
        }
        out.newline()
        out.line("    next")
    }

    func deleteAddress<A>(_ p: Prefix<A>, to out: inout ExportText) {
        out.write("    delete ")
        writeName(p, to: &out)
        out.newline()
    }

    func group(_ object: ExportObject, comment: String, to out: inout ExportText) {
        out.line("    edit \"\(object.name)\"")
        // `set member` replaces the list; long lists continue with `append member` lines.
        members("set member", Array(object.v4), Array(object.v6), to: &out)
        out.line("        set comment \"\(comment)\"")
        out.line("    next")
    }

    /// Member names per command line at most.
    static let perLine = 100
    /// FortiOS documents no CLI line limit (unverified on a device); lines stay within the ipset
    /// bound as a conservative one. Member lines wrap by bytes well before it.
    static let lineLimit = 1_022
    /// Bytes of member names per line: the longest name (`"AZ_` + an IPv6 address + `_128"`) is
    /// 48 bytes, so a line stays under `lineLimit` with its verb.
    static let memberBytesPerLine = 900

    /// `VERB "AZ_..." "AZ_..."`, at most `perLine` names and `memberBytesPerLine` bytes a line;
    /// nothing for no members. Lines after the first repeat `verb`, except that `set member`
    /// (which replaces the list) continues as `append member`.
    func members(_ verb: String, _ v4: [IPv4Prefix], _ v6: [IPv6Prefix], to out: inout ExportText) {
        var k = 0, lineStart = 0, onLine = 0
        func name<A>(_ p: Prefix<A>) {
            if onLine == Self.perLine || (onLine > 0 && out.bytes.count - lineStart > Self.memberBytesPerLine) {
                out.newline()
                onLine = 0
            }
            if onLine == 0 {
                lineStart = out.bytes.count
                out.write("        " + (k > 0 && verb == "set member" ? "append member" : verb))
            }
            out.write(" ")
            writeName(p, to: &out)
            k += 1
            onLine += 1
        }
        for p in v4 { name(p) }
        for p in v6 { name(p) }
        if k > 0 { out.newline() }
    }
}

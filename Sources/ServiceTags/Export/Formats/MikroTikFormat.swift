/// `mikrotik`: RouterOS firewall address lists, a script for `/import`.
///
/// Full list (help.mikrotik.com "Address-lists"): remove the list's entries, then
/// `add list=NAME address=PREFIX` per entry. IPv6 lives in its own menu,
/// `/ipv6 firewall address-list`, under the same list name, so names get no family suffix.
/// Entries are added without `timeout`, so they persist. Delta: `add` for new entries and
/// `remove [find list="NAME" address="PREFIX"]` for old ones; RouterOS shows an IPv4 `/32` as the
/// bare address, so `find` uses the bare address for `/32`. Comment lines start with `#`. Names:
/// letters, digits, `_ . -`, at most 63 characters.
struct MikroTikFormat: ExportFormat {
    var id: String { "mikrotik" }
    var summary: String { "MikroTik RouterOS /ip and /ipv6 firewall address-list script" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: false), nameRule: Self.names, supportsDelta: true, writesScript: true,
                     lineLimit: Self.lineLimit)
    }

    /// RouterOS documents no line limit for `/import` (help.mikrotik.com "Scripting": lines end at
    /// LF, CR LF or CR) (unverified on a device); the ipset bound is kept as a conservative one.
    static let lineLimit = 1_022

    static let names = ExportNameRule(maxLength: 63, allowed: .safeName, allowedFirst: .alphanumerics.union(ASCIISet("_")),
                                      summary: "1-63 characters from A-Z a-z 0-9 _ . -")

    func menu(_ family: ExportObjectFamily) -> String { family == .ipv6 ? "/ipv6 firewall address-list " : "/ip firewall address-list " }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        for object in plan.objects {
            out.line(menu(object.family) + "remove [find list=\"\(object.name)\"]")
            add(object.name, object.family, object.v4, object.v6, to: &out)
        }
    }

    func add(_ name: String, _ family: ExportObjectFamily, _ v4: some Collection<IPv4Prefix>, _ v6: some Collection<IPv6Prefix>,
             to out: inout ExportText) {
        let head = menu(family) + "add list=" + name + " address="
        for p in v4 { out.write(head); out.write(p); out.newline() }
        for p in v6 { out.write(head); out.write(p); out.newline() }
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        for change in delta.changes {
            if change.kind == .deleted {
                out.line(menu(change.family) + "remove [find list=\"\(change.name)\"]")
                continue
            }
            add(change.name, change.family, change.added4, change.added6, to: &out)
            let head = menu(change.family) + "remove [find list=\"\(change.name)\" address=\""
            for p in change.removed4 {
                out.write(head)
                if p.isSingleAddress { out.write(address: p.address) } else { out.write(p) }
                out.line("\"]")
            }
            for p in change.removed6 { out.write(head); out.write(p); out.line("\"]") }
        }
    }
}

/// `cisco-asa`: a Cisco ASA network object group, IPv4 and IPv6 in one group.
///
/// Full list (ASA 9.12 "Objects for Access Control"): `object-group network NAME`, a
/// `description` (at most 200 characters), then ` network-object ADDRESS MASK` for IPv4 and
/// ` network-object PREFIX/LENGTH` for IPv6; the two families may share a group (not for NAT).
/// Entering an existing group adds to it: the ASA cannot empty or remove a group that a command
/// uses, so stale entries are removed by deltas, not by the full list.
///
/// Delta, in the group's context: new ` network-object` lines first, then ` no network-object`,
/// so the group is never emptied on the way. Comment lines start with `!`. Names: at most 64
/// characters.
struct CiscoASAFormat: ExportFormat {
    var id: String { "cisco-asa" }
    var summary: String { "Cisco ASA object-group network (IPv4 and IPv6 together)" }
    var traits: ExportTraits {
        ExportTraits(families: .mixed, nameRule: Self.names, supportsDelta: true, writesScript: true, lineLimit: CiscoIOSFormat.lineLimit)
    }

    static let names = ExportNameRule(maxLength: 64, allowed: .safeName, allowedFirst: .alphanumerics.union(ASCIISet("_")),
                                      summary: "1-64 characters from A-Z a-z 0-9 _ . -")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "! ", to: &out)
        let description = ExportComments.description(plan.list, limit: 200)
        for object in plan.objects { group(object, description: description, to: &out) }
    }

    func group(_ object: ExportObject, description: String, to out: inout ExportText) {
        out.line("object-group network " + object.name)
        out.line(" description " + description)
        for p in object.v4 { entry(" network-object ", p, to: &out) }
        for p in object.v6 { entry(" network-object ", p, to: &out) }
    }

    func entry(_ verb: String, _ p: IPv4Prefix, to out: inout ExportText) {
        out.write(verb)
        out.write(address: p.address)
        out.write(" ")
        out.writeMask(length: p.length)
        out.newline()
    }

    func entry(_ verb: String, _ p: IPv6Prefix, to out: inout ExportText) {
        out.write(verb)
        out.write(p)
        out.newline()
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "! ", to: &out)
        let description = ExportComments.description(delta.new.list, limit: 200)
        for change in delta.changes {
            switch change.kind {
            case .created:
                if let object = change.new { group(object, description: description, to: &out) }
            case .deleted:
                out.line("no object-group network " + change.name)
            case .changed:
                out.line("object-group network " + change.name)
                for p in change.added4 { entry(" network-object ", p, to: &out) }
                for p in change.added6 { entry(" network-object ", p, to: &out) }
                for p in change.removed4 { entry(" no network-object ", p, to: &out) }
                for p in change.removed6 { entry(" no network-object ", p, to: &out) }
            }
        }
    }
}

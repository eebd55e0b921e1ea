/// `cisco-ios`: IOS / IOS-XE prefix lists, `ip prefix-list` and `ipv6 prefix-list`.
///
/// Full list (as bgpq4 `-s` writes it): `no ip prefix-list NAME` deletes the old list, then one
/// `ip prefix-list NAME seq N permit PREFIX` per entry, N = 5, 10, 15, ... Delta: `ip prefix-list
/// NAME permit PREFIX` (no sequence number: IOS appends it 5 above the highest) and `no ip
/// prefix-list NAME permit PREFIX`, which names the entry by its content, so deltas stay valid
/// whatever sequence numbers earlier deltas gave. Entries are exact-match permits, so their order
/// does not change what the list matches. Comment lines start with `!`. Names: a letter, then
/// letters, digits, `_ . -`, at most 63 characters.
struct CiscoIOSFormat: ExportFormat {
    var id: String { "cisco-ios" }
    var summary: String { "Cisco IOS/IOS-XE ip/ipv6 prefix-list" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), nameRule: Self.names, supportsDelta: true, writesScript: true,
                     lineLimit: Self.lineLimit)
    }

    /// IOS reads configuration lines into its terminal line buffer; no documented size was found,
    /// so 254 bytes, the smallest we know of in IOS-style CLIs (unverified on a device). Our longest
    /// line, an IPv6 entry of a 63-character list, is about 130.
    static let lineLimit = 254

    static let names = ExportNameRule(maxLength: 63, allowed: .safeName, allowedFirst: .letters,
                                      summary: "1-63 characters from A-Z a-z 0-9 _ . -, starting with a letter")

    func keyword(_ family: ExportObjectFamily) -> String { family == .ipv6 ? "ipv6 prefix-list " : "ip prefix-list " }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "! ", to: &out)
        for object in plan.objects { full(object, to: &out) }
    }

    func full(_ object: ExportObject, to out: inout ExportText) {
        let head = keyword(object.family) + object.name
        out.line("no " + head)
        var seq = 5
        func entry<A>(_ p: Prefix<A>) {
            out.write(head)
            out.write(" seq ")
            out.write(number: seq)
            out.write(" permit ")
            out.write(p)
            out.newline()
            seq += 5
        }
        for p in object.v4 { entry(p) }
        for p in object.v6 { entry(p) }
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "! ", to: &out)
        for change in delta.changes {
            let head = keyword(change.family) + change.name
            switch change.kind {
            case .created:
                if let object = change.new { full(object, to: &out) }
            case .deleted:
                out.line("no " + head)
            case .changed:
                for p in change.added4 { out.write(head + " permit "); out.write(p); out.newline() }
                for p in change.added6 { out.write(head + " permit "); out.write(p); out.newline() }
                for p in change.removed4 { out.write("no " + head + " permit "); out.write(p); out.newline() }
                for p in change.removed6 { out.write("no " + head + " permit "); out.write(p); out.newline() }
            }
        }
    }
}

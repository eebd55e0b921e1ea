/// `juniper`: Junos `policy-options prefix-list`, one per family.
///
/// Full list: the text `load replace` takes, with a `replace:` tag on each list so loading it
/// replaces the list (as bgpq4 `-J` writes it):
///
///     policy-options {
///         replace:
///         prefix-list AzureCloud_v4 {
///             20.33.0.0/16;
///         }
///     }
///
/// Delta, for `load set`: `set policy-options prefix-list NAME PREFIX` and
/// `delete policy-options prefix-list NAME PREFIX`; a vanished list is deleted whole. Families
/// get separate lists (`_v4`, `_v6`), the convention for `family inet` and `family inet6`
/// filters. Comment lines start with `#`. Names: letters, digits, `_ . -`, at most 63 characters.
struct JuniperFormat: ExportFormat {
    var id: String { "juniper" }
    var summary: String { "Junos policy-options prefix-list (load replace; deltas for load set)" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), nameRule: Self.names, supportsDelta: true, writesScript: true,
                     lineLimit: Self.lineLimit)
    }

    /// Junos `load replace`/`load set` read a file of statements; no line limit is documented
    /// (unverified on a device), so the ipset bound is kept as a conservative one.
    static let lineLimit = 1_022

    static let names = ExportNameRule(maxLength: 63, allowed: .safeName, allowedFirst: .alphanumerics,
                                      summary: "1-63 characters from A-Z a-z 0-9 _ . -, starting with a letter or digit")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        out.line("policy-options {")
        for object in plan.objects {
            out.line("    replace:")
            out.line("    prefix-list \(object.name) {")
            for p in object.v4 { out.write("        "); out.write(p); out.line(";") }
            for p in object.v6 { out.write("        "); out.write(p); out.line(";") }
            out.line("    }")
        }
        out.line("}")
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        for change in delta.changes {
            let head = "policy-options prefix-list " + change.name
            if change.kind == .deleted {
                out.line("delete " + head)
                continue
            }
            for p in change.added4 { out.write("set " + head + " "); out.write(p); out.newline() }
            for p in change.added6 { out.write("set " + head + " "); out.write(p); out.newline() }
            for p in change.removed4 { out.write("delete " + head + " "); out.write(p); out.newline() }
            for p in change.removed6 { out.write("delete " + head + " "); out.write(p); out.newline() }
        }
    }
}

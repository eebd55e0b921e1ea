/// `paloalto-edl`: a PAN-OS External Dynamic List of type IP, served over HTTP(S).
///
/// One entry per line, IPv4 and IPv6 mixed (PAN-OS 9.1 "IP Address List": each line is an address,
/// `address/mask` or a range, optionally followed by a space and a comment). No comments are
/// written, so the file is exactly the list. The firewall refetches the whole file, so there is
/// no delta; capacity depends on the model, so there is no fixed limit here.
struct PaloAltoEDLFormat: ExportFormat {
    var id: String { "paloalto-edl" }
    var summary: String { "Palo Alto Networks External Dynamic List (IP list)" }
    var traits: ExportTraits { ExportTraits(families: .mixed) }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        for p in plan.list.v4 { out.write(p); out.newline() }
        for p in plan.list.v6 { out.write(p); out.newline() }
    }
}

/// `txt`: one prefix per line, IPv4 first, each family ascending. No names, no header.
struct TextFormat: ExportFormat {
    var id: String { "txt" }
    var summary: String { "one prefix per line (default)" }
    var traits: ExportTraits { ExportTraits(families: .mixed) }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        for p in plan.list.v4 { out.write(p); out.newline() }
        for p in plan.list.v6 { out.write(p); out.newline() }
    }
}

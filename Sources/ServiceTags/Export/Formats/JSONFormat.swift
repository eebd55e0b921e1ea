/// `json`: one document,
/// `{"tags":[...],"excluded":[...],"changeNumber":N|null,"ipv4":[...],"ipv6":[...]}`.
struct JSONFormat: ExportFormat {
    var id: String { "json" }
    var summary: String { "{\"tags\",\"excluded\",\"changeNumber\",\"ipv4\",\"ipv6\"}" }
    var traits: ExportTraits { ExportTraits(families: .mixed) }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        let list = plan.list
        out.write("{\"tags\":")
        Self.strings(list.tags, to: &out)
        out.write(",\"excluded\":")
        Self.strings(list.excluded, to: &out)
        out.write(",\"changeNumber\":")
        if let n = list.changeNumber { out.write(String(n)) } else { out.write("null") }
        out.write(",\"ipv4\":[")
        for (i, p) in list.v4.enumerated() {
            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
            out.write(jsonPrefix: p)
        }
        out.write("],\"ipv6\":[")
        for (i, p) in list.v6.enumerated() {
            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
            out.write(jsonPrefix: p)
        }
        out.line("]}")
    }

    static func strings(_ items: [String], to out: inout ExportText) {
        out.write("[")
        for (i, s) in items.enumerated() {
            if i > 0 { out.write(",") }
            out.write(jsonString: s)
        }
        out.write("]")
    }
}

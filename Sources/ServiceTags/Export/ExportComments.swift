/// The comment lines at the top of every script, in each target's comment syntax.
///
/// Tag names reach these lines only after `Exporter.plan` checked them against `A-Z a-z 0-9 . _ -`
/// (`traits.writesScript`), so no name can end a comment early or start a command.
///
///     # Azure service tags: AzureCloud, Storage.WestEurope
///     # Excluding: AzureFrontDoor.Backend
///     # Change number: 375
///
/// Long name lists wrap at about 100 characters (`ipset restore` reads lines of at most 1,024
/// bytes and takes the rest of a longer one for a command).
enum ExportComments {
    static let width = 100

    static func full(_ list: ExportList, marker: String, to out: inout ExportText) {
        names("Azure service tags: ", list.tags, marker: marker, to: &out)
        if !list.excluded.isEmpty { names("Excluding: ", list.excluded, marker: marker, to: &out) }
        if let n = list.changeNumber { out.line(marker + "Change number: \(n)") }
    }

    /// `MARKER TITLE a, b, c,` then `MARKER   d, e` lines, each within `width` characters.
    static func names(_ title: String, _ names: [String], marker: String, to out: inout ExportText) {
        var line = marker + title
        var count = 0
        for (i, name) in names.enumerated() {
            let piece = name + (i + 1 < names.count ? "," : "")
            if count > 0 && line.utf8.count + 1 + piece.utf8.count > width {
                out.line(line)
                line = marker + "  " + piece
            } else {
                line += (count > 0 ? " " : "") + piece
            }
            count += 1
        }
        out.line(line)
    }

    /// The tag line, then what the delta applies to:
    ///
    ///     # Delta from change number 374 to 375: apply on top of the full list of 374
    static func delta(_ delta: ExportDeltaPlan, marker: String, to out: inout ExportText) {
        names("Azure service tags: ", delta.new.list.tags, marker: marker, to: &out)
        if !delta.new.list.excluded.isEmpty { names("Excluding: ", delta.new.list.excluded, marker: marker, to: &out) }
        if let a = delta.old.list.changeNumber, let b = delta.new.list.changeNumber {
            out.line(marker + "Delta from change number \(a) to \(b): apply on top of the full list of \(a)")
        } else {
            out.line(marker + "Delta: apply on top of the previous full list")
        }
    }

    /// `Azure service tags: A, B` cut to `limit` characters (descriptions have length limits).
    static func description(_ list: ExportList, limit: Int) -> String {
        let text = "Azure service tags: " + list.tags.joined(separator: ", ")
        if text.utf8.count <= limit { return text }
        return String(decoding: text.utf8.prefix(limit - 3), as: UTF8.self) + "..."
    }
}

/// The comment lines at the top of every script, in each target's comment syntax.
///
/// Tag names reach these lines only after `Exporter.plan` checked them against `A-Z a-z 0-9 . _ -`
/// (`traits.writesScript`), so no name can end a comment early or start a command.
///
///     # Azure service tags: AzureCloud, Storage.WestEurope
///     # Excluding: AzureFrontDoor.Backend
///     # Change number: 375
enum ExportComments {
    static func full(_ list: ExportList, marker: String, to out: inout ExportText) {
        out.line(marker + "Azure service tags: " + list.tags.joined(separator: ", "))
        if !list.excluded.isEmpty { out.line(marker + "Excluding: " + list.excluded.joined(separator: ", ")) }
        if let n = list.changeNumber { out.line(marker + "Change number: \(n)") }
    }

    /// The tag line, then what the delta applies to:
    ///
    ///     # Delta from change number 374 to 375: apply on top of the full list of 374
    static func delta(_ delta: ExportDeltaPlan, marker: String, to out: inout ExportText) {
        out.line(marker + "Azure service tags: " + delta.new.list.tags.joined(separator: ", "))
        if !delta.new.list.excluded.isEmpty { out.line(marker + "Excluding: " + delta.new.list.excluded.joined(separator: ", ")) }
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

/// The comment lines at the top of every script, in each target's comment syntax.
///
/// Tag names reach these lines only after `Exporter.plan` checked them against `A-Z a-z 0-9 . _ -`
/// (`traits.writesScript`), so no name can end a comment early or start a command.
///
///     # Azure service tags: AzureCloud, Storage.WestEurope
///     # Excluding: AzureFrontDoor.Backend
///     # Change number: 375
///
/// Long name lists wrap at `width` characters, and a name too long for one line is cut across
/// several, each line starting with the comment marker: `ipset restore` reads lines of at most
/// 1,023 bytes and runs the rest of a longer one as a command, so no piece of data text may ever
/// begin a line of its own (`ExportTraits.lineLimit` is then checked on the whole output).
enum ExportComments {
    /// The widest comment line, marker included; below every target's `lineLimit`.
    static let width = 100

    static func full(_ list: ExportList, marker: String, to out: inout ExportText) {
        names("Azure service tags: ", list.tags, marker: marker, to: &out)
        if !list.excluded.isEmpty { names("Excluding: ", list.excluded, marker: marker, to: &out) }
        if let n = list.changeNumber { out.line(marker + "Change number: \(n)") }
    }

    /// `MARKER TITLE a, b, c,` then `MARKER   d, e` lines, each within `width` bytes.
    ///
    /// A name longer than a whole continuation line's room is cut across lines (names reaching a
    /// script are ASCII, checked by `Exporter.plan`, so a cut never splits a character).
    static func names(_ title: String, _ names: [String], marker: String, to out: inout ExportText) {
        let indent = marker + "  "
        var line = Array((marker + title).utf8)
        var count = 0
        for (i, name) in names.enumerated() {
            var piece = Array(name.utf8)
            if i + 1 < names.count { piece.append(UInt8(ascii: ",")) }
            let separator = count > 0 ? 1 : 0
            if count > 0 && line.count + separator + piece.count > width {
                out.line(line)
                line = Array(indent.utf8)
            } else if separator == 1 {
                line.append(UInt8(ascii: " "))
            }
            // Cut what does not fit on this line; each rest continues on a new marked line.
            while line.count + piece.count > width {
                let room = max(width - line.count, 1)
                line += piece.prefix(room)
                piece.removeFirst(min(room, piece.count))
                out.line(line)
                line = Array(indent.utf8)
            }
            line += piece
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

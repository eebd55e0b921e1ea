import StagOptions
/// Text made safe for roff (man(7)), for the man page `stag man` prints.
///
/// Invariants of the returned text: no backslash but the escapes written here, every hyphen is
/// `\-` (an ASCII minus when rendered, so `--data` can be copied from the page and searched for),
/// no input line starts with `.` or `'` (which would make it a request), and only printable ASCII:
/// other characters become `\[uXXXX]`, control characters are dropped (tab becomes a space).
/// Commas, slashes and bars are followed by `\:`, an invisible point where a line may break.
enum Roff {
    /// `s` escaped for use inside a text line or a macro argument.
    /// - Complexity: O(n) in the length of `s`.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case "\t": out += " "
            // A break point after each comma and slash: JSON shapes and paths have no spaces, and
            // a word wider than the page is a "can't break line" warning and a ragged page.
            case ",", "/", "|": out.unicodeScalars.append(u); out += "\\:"
            case _ where u.value < 0x20 || u.value == 0x7F: continue
            case _ where u.value >= 0x80:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// One text line: escaped, and guarded with `\&` when it would start with a control character.
    /// A line break inside `s` is a space (the caller decides where roff lines end).
    static func line(_ s: String) -> String {
        let text = escaped(s.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " "))
        return text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" + text : text
    }

    /// `s` in bold (for command and option names), already escaped.
    static func bold(_ s: String) -> String { "\\fB" + escaped(s) + "\\fR" }

    /// `s` in italics (for value names such as PATH), already escaped.
    static func italic(_ s: String) -> String { "\\fI" + escaped(s) + "\\fR" }
}

/// Data text in a markdown report (`stag diff --format markdown`), on top of the human escaping.
///
/// The rule: data text appears only inside an inline code span the text cannot leave. After
/// `HumanText.escaped(_:)` it holds no line break, so it can never start a line: no heading
/// (`#`), list item, fence or table row of its own. Inside a code span (CommonMark 6.1) `#`, `*`,
/// `_`, `[`, `<`, `@` and backslashes are literal, so no emphasis, link, HTML or escape is
/// interpreted. What is left to guard:
/// - backticks, which could close the span: the fence is one longer than the longest run of
///   backticks inside, and padded with a space when the text starts or ends with a backtick or a
///   space (CommonMark strips one space from each side of a span that begins and ends with one);
/// - `|`, which splits a GitHub-flavoured table cell even inside a code span (GFM 4.10): written
///   `\|` in table cells; elsewhere (headings, list items) a pipe is plain text and stays as is.
extension HumanText {
    /// `text` escaped for people and wrapped in an inline code span; `(empty)` for an empty text
    /// (an empty code span is not one: two backticks would show as such).
    /// - Parameter inTableCell: escape `|` as `\|` so the span stays in its table cell.
    /// - Complexity: O(n).
    public static func markdownCode(_ text: String, inTableCell: Bool) -> String {
        if text.isEmpty { return "(empty)" }
        var body = escaped(text)
        var longest = 0, run = 0
        var allSpaces = true
        for c in body.utf8 {
            run = c == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
            if c != UInt8(ascii: " ") { allSpaces = false }
        }
        let first = body.utf8.first, last = body.utf8.last
        let edge: (UInt8?) -> Bool = { $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: " ") }
        let pad = !allSpaces && (edge(first) || edge(last)) ? " " : ""
        if inTableCell && body.utf8.contains(UInt8(ascii: "|")) { body = body.replacing("|", with: "\\|") }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + pad + body + pad + fence
    }
}

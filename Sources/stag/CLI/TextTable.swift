import ServiceTags

/// Left-aligned columns separated by two spaces; the last column is not padded.
///
/// Every cell is shown through `HumanText.escaped(_:)` (callers pass data text raw, never
/// pre-escaped), and the widths are those of the escaped text: a name holding ESC or CR cannot
/// move the cursor, and its row still lines up.
enum TextTable {
    static func align(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max(), columns > 0 else { return [] }
        let rows = rows.map { $0.map(HumanText.escaped) }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            return line
        }
    }
}

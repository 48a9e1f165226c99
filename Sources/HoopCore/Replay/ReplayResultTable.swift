/// A statement's result as a small aligned text table, the way psql prints one, so a replay reads like the session
/// the user saw.
struct ReplayResultTable {
    var columns: [String]
    var rows: [[String]]

    var lines: [String] {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        // Like psql, the last column is not padded, so lines carry no trailing spaces.
        func line(_ cells: [String]) -> String {
            widths.indices.map { index in
                let cell = index < cells.count ? cells[index] : ""
                if index == widths.count - 1 { return " " + cell }
                return " " + cell + String(repeating: " ", count: widths[index] - cell.count) + " "
            }
            .joined(separator: "|")
        }
        let rule = widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+")
        return [line(columns), rule] + rows.map(line)
    }
}

import Foundation

/// Left-aligned columns separated by two spaces, headers in capitals, like `kubectl get`.
struct TextTable {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    init(headers: [String]) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        self.rows.append(cells)
    }

    /// The table as lines, without trailing spaces.
    var lines: [String] {
        let all = [self.headers] + self.rows
        let widths = self.headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}

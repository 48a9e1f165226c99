/// Masks every value of a result column, whatever it holds, because the column itself is known to be sensitive.
///
/// Column rules exist for data the detectors cannot recognise by shape (names, salaries, free-text notes) and take
/// precedence over detectors for the cells they cover.
package struct ColumnRule: Sendable, Equatable {
    /// The table the rule is limited to, or `nil` when the rule was written `*.column` and applies to any table.
    /// May be schema-qualified (`public.users`); an unqualified table also matches its schema-qualified spelling.
    package var table: String?
    /// The column name the rule applies to.
    package var column: String
    /// The strategy applied to the whole cell.
    package var strategy: MaskingStrategy

    /// Creates a rule from its parts; prefer ``init(pattern:strategy:)`` for configuration input.
    package init(table: String?, column: String, strategy: MaskingStrategy) {
        self.table = table
        self.column = column
        self.strategy = strategy
    }

    /// Parses the YAML spelling `table.column`, `schema.table.column` or `*.column`.
    package init(pattern: String, strategy: MaskingStrategy) throws(MaskingPolicyError) {
        guard let dot = pattern.lastIndex(of: ".") else {
            throw .invalidColumnPattern(pattern, reason: "expected table.column or *.column")
        }
        let table = String(pattern[..<dot])
        let column = String(pattern[pattern.index(after: dot)...])
        guard Self.isName(column) else {
            throw .invalidColumnPattern(pattern, reason: "the column part must be a plain name")
        }
        if table == "*" {
            self.init(table: nil, column: column, strategy: strategy)
            return
        }
        let parts = table.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ Self.isName(String($0)) }) else {
            throw .invalidColumnPattern(pattern, reason: "the table part must be *, a name or schema.name")
        }
        self.init(table: table, column: column, strategy: strategy)
    }

    /// The rule as written in configuration and as it appears in summaries (`column:users.ssn`).
    package var name: String { "\(table ?? "*").\(column)" }

    /// Whether the rule covers a result column. Names compare case-insensitively because unquoted SQL identifiers
    /// are case-insensitive, and a miss here would leak the column in clear text.
    package func matches(table resultTable: String?, column resultColumn: String) -> Bool {
        guard column.lowercased() == resultColumn.lowercased() else { return false }
        guard let table else { return true }
        guard let resultTable else { return false }
        let wanted = table.lowercased()
        let actual = resultTable.lowercased()
        return actual == wanted || actual.hasSuffix("." + wanted)
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text != "*" && !text.contains(where: { $0.isWhitespace || $0 == "." || $0 == "*" })
    }
}

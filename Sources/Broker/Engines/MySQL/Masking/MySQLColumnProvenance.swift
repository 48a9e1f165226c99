import Masking
import MySQLWire

/// Which tables' columns the broker can vouch for, on a resource with column rules. A MySQL column definition names
/// a value's origin (schema, original table, original column) whenever it is a plain column reference, whatever the
/// query called it; but a view reports itself as the original table, and a table created after the connection
/// opened is unknown. Only the base tables of a snapshot read when the connection opens count as trusted origins;
/// a column from anything else is treated as having no provenance.
struct MySQLColumnProvenance: Sendable, Equatable {
    struct TableKey: Hashable, Sendable {
        var schema: String
        var table: String

        /// MySQL compares table names case-sensitively or not depending on the server's file system settings;
        /// folding case can only make the broker match more, never less.
        init(schema: String, table: String) {
            self.schema = schema.lowercased()
            self.table = table.lowercased()
        }
    }

    /// Base tables known when the connection opened.
    var tables: Set<TableKey>

    /// The broker's catalog query: every base table the target login can see.
    static let catalogQuery =
        "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'"

    init(tables: Set<TableKey>) {
        self.tables = tables
    }

    /// Builds the snapshot from the catalog query's text rows.
    init(rows: [[String?]]) throws(MySQLCatalogError) {
        var tables: Set<TableKey> = []
        for row in rows {
            guard row.count == 2, let schema = row[0], let table = row[1] else {
                throw MySQLCatalogError(reason: "unexpected row shape from the catalog query")
            }
            tables.insert(TableKey(schema: schema, table: table))
        }
        self.tables = tables
    }

    /// How one result column is masked under `masker`'s policy.
    func plan(for column: MySQLColumnDefinition41, masker: ValueMasker) -> CellMaskPlan {
        guard !column.orgTable.isEmpty, !column.orgName.isEmpty,
            tables.contains(TableKey(schema: column.schema, table: column.orgTable))
        else {
            return .withhold
        }
        if let rule = masker.columnRule(table: "\(column.schema).\(column.orgTable)", column: column.orgName) {
            return .rule(rule)
        }
        return .detect(tokens: true)
    }
}

/// The catalog snapshot could not be read; the session is refused rather than run without its column rules.
struct MySQLCatalogError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "could not resolve the resource's masking column rules: \(reason)" }
}

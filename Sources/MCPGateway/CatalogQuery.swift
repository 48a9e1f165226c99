import HoopCore
import MCP
import Masking

/// The catalog read behind `describe_resource`, one query per dialect. Each reads real catalog tables rather than
/// computed expressions or PostgreSQL's `information_schema` views: a masked resource withholds values whose
/// source column the broker cannot trace, and catalog names must come through as they are.
enum CatalogQuery {
    /// A table named by the caller, checked to be a plain (optionally schema-qualified) name so it can sit in a
    /// string literal of either dialect without escaping rules of its own.
    struct TableFilter {
        let schema: String?
        let table: String

        init(_ text: String) throws(MCPError) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let plain = parts.allSatisfy { part in
                !part.isEmpty && part.utf8.count <= 128
                    && part.unicodeScalars.allSatisfy {
                        $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$"
                    }
            }
            guard plain, (1...2).contains(parts.count) else {
                throw .invalidParams("describe_resource: table must be a name or schema.name, not '\(text)'")
            }
            schema = parts.count == 2 ? parts[0] : nil
            table = parts[parts.count - 1]
        }
    }

    /// The dialects the catalog can be read in.
    enum Dialect {
        case postgres
        case mysql

        init?(_ type: ResourceType) {
            switch type {
            case .postgres: self = .postgres
            case .mysql: self = .mysql
            default: return nil
            }
        }
    }

    /// Rows of schema, table, column, type and a nullability flag, system schemas left out.
    static func sql(_ dialect: Dialect, table: TableFilter?, limit: Int) -> String {
        switch dialect {
        case .postgres:
            var conditions = [
                "a.attnum > 0", "not a.attisdropped", "c.relkind in ('r', 'v', 'm', 'p', 'f')",
                "n.nspname not in ('pg_catalog', 'information_schema')", "n.nspname not like 'pg_toast%'",
            ]
            if let table {
                conditions.append("c.relname = '\(table.table)'")
                if let schema = table.schema { conditions.append("n.nspname = '\(schema)'") }
            }
            return """
                select n.nspname, c.relname, a.attname, t.typname, a.attnotnull \
                from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid \
                join pg_catalog.pg_namespace n on n.oid = c.relnamespace join pg_catalog.pg_type t on t.oid = a.atttypid \
                where \(conditions.joined(separator: " and ")) order by n.nspname, c.relname, a.attnum limit \(limit)
                """
        case .mysql:
            var conditions = ["table_schema not in ('mysql', 'performance_schema', 'sys', 'information_schema')"]
            if let table {
                conditions.append("table_name = '\(table.table)'")
                if let schema = table.schema { conditions.append("table_schema = '\(schema)'") }
            }
            return """
                select table_schema, table_name, column_name, data_type, is_nullable \
                from information_schema.columns where \(conditions.joined(separator: " and ")) \
                order by table_schema, table_name, ordinal_position limit \(limit)
                """
        }
    }

    /// Whether the fifth column of a row says the column takes NULL.
    static func nullable(_ flag: String?, _ dialect: Dialect) -> Bool {
        switch dialect {
        case .postgres: flag == "f"
        case .mysql: flag == "YES"
        }
    }

    /// The rows grouped by table, each column marked with the first column rule that covers it.
    static func tables(from rows: some Sequence<[String?]>, _ dialect: Dialect, rules: [ColumnRule]) -> [TableOutput] {
        var tables: [TableOutput] = []
        for row in rows where row.count >= 5 {
            let schema = row[0] ?? ""
            let name = row[1] ?? ""
            let column = row[2] ?? ""
            let rule = rules.first { $0.matches(table: "\(schema).\(name)", column: column) }
            let entry = ColumnOutput(
                name: column, type: row[3] ?? "", nullable: nullable(row[4], dialect), masked: rule?.strategy.spelling)
            if let last = tables.indices.last, tables[last].schema == schema, tables[last].name == name {
                tables[last].columns.append(entry)
            } else {
                tables.append(TableOutput(schema: schema, name: name, columns: [entry]))
            }
        }
        return tables
    }
}

/// A table as `describe_resource` lists it.
struct TableOutput: Codable, Sendable {
    var schema: String
    var name: String
    var columns: [ColumnOutput]
}

/// A column as `describe_resource` lists it: `masked` names the strategy when a column rule covers it.
struct ColumnOutput: Codable, Sendable {
    var name: String
    var type: String
    var nullable: Bool
    var masked: String?
}

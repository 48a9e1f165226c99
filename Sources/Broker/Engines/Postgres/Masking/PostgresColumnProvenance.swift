import Masking
import PostgresWire

/// Where a resource's column rules live in one target database, by the identifiers the wire reports: a
/// RowDescription field names its origin as (table OID, attribute number) whenever it is a plain column reference,
/// whatever label the query gave it. Read once per target connection, by the broker, before the client is let in.
///
/// Only ordinary and partitioned tables that are not themselves partitions or inheritance children count as
/// trusted origins: a view reports its own OID (its columns may be ruled columns underneath), and a child table
/// holds rows of a parent a rule may name. A table created after the snapshot is unknown too. Columns from anything
/// but a trusted table are treated as having no provenance.
struct PostgresColumnProvenance: Sendable, Equatable {
    struct ColumnKey: Hashable, Sendable {
        var table: UInt32
        var attribute: Int16
    }

    /// Trusted tables known when the connection opened.
    var tables: Set<UInt32>
    /// Ruled columns of those tables.
    var ruled: [ColumnKey: ColumnRule]

    /// What to do with one result column.
    enum Plan: Equatable {
        /// A ruled column: the rule masks the whole value.
        case rule(ColumnRule)
        /// A column of a trusted table that no rule names: the detectors run over it, and `hash` may issue tokens.
        case detect
        /// No provenance the broker can vouch for (an expression, a literal, a view, a new table): on a resource
        /// with column rules the value could be any ruled value, so it is redacted whole.
        case withhold
    }

    func plan(for field: PostgresBackendMessage.FieldDescription) -> Plan {
        guard field.tableOID != 0, field.columnAttributeNumber != 0, tables.contains(field.tableOID) else {
            return .withhold
        }
        if let rule = ruled[ColumnKey(table: field.tableOID, attribute: field.columnAttributeNumber)] {
            return .rule(rule)
        }
        return .detect
    }

    /// The catalog query, one row shape for two kinds of row:
    /// - `T, oid, schema, name, NULL, NULL` for every trusted table, and `T, oid, schema, name, attnum, attname` for
    ///   each of its columns whose name some rule mentions;
    /// - `D, ancestor oid, schema, name, NULL, NULL` for every descendant (partition or inheritance child) of a
    ///   table: selecting from the ancestor returns the descendant's rows under the ancestor's OID, so a rule naming
    ///   the descendant covers the ancestor's column of the same name (inherited columns keep their names).
    /// Names are compared in Swift with the rules' own matching; the query only narrows by lower-cased column name.
    static func catalogQuery(for rules: [ColumnRule]) -> String {
        let names = Set(rules.map { $0.column.lowercased() }).sorted().map(literal).joined(separator: ", ")
        return """
            WITH RECURSIVE tree(ancestor, descendant) AS (
              SELECT inhparent, inhrelid FROM pg_catalog.pg_inherits
              UNION SELECT t.ancestor, i.inhrelid FROM tree t JOIN pg_catalog.pg_inherits i ON i.inhparent = t.descendant
            )
            SELECT 'T', c.oid, n.nspname, c.relname, a.attnum, a.attname
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              AND lower(a.attname) IN (\(names.isEmpty ? "NULL" : names))
            WHERE c.relkind IN ('r', 'p')
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid)
            UNION ALL
            SELECT 'D', t.ancestor, n.nspname, c.relname, NULL, NULL
            FROM tree t
            JOIN pg_catalog.pg_class c ON c.oid = t.descendant
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            """
    }

    /// Builds the snapshot from the catalog query's text rows.
    init(rows: [[String?]], masker: ValueMasker) throws(PostgresCatalogError) {
        tables = []
        ruled = [:]
        var columns: [(key: ColumnKey, table: String, name: String)] = []
        var descendants: [UInt32: [String]] = [:]
        for row in rows {
            guard row.count == 6, let kind = row[0], let oidText = row[1], let oid = UInt32(oidText),
                let schema = row[2], let name = row[3]
            else {
                throw PostgresCatalogError(reason: "unexpected row shape from the catalog query")
            }
            let table = "\(schema).\(name)"
            switch kind {
            case "T":
                tables.insert(oid)
                guard let attnumText = row[4], let attnum = Int16(attnumText), let column = row[5] else { continue }
                columns.append((ColumnKey(table: oid, attribute: attnum), table, column))
            case "D":
                descendants[oid, default: []].append(table)
            default:
                throw PostgresCatalogError(reason: "unexpected row kind \(kind) from the catalog query")
            }
        }
        for column in columns {
            let names = [column.table] + (descendants[column.key.table] ?? [])
            if let rule = names.lazy.compactMap({ masker.columnRule(table: $0, column: column.name) }).first {
                ruled[column.key] = rule
            }
        }
    }

    init(tables: Set<UInt32>, ruled: [ColumnKey: ColumnRule]) {
        self.tables = tables
        self.ruled = ruled
    }

    /// An escape-string literal: `E'...'` reads backslashes the same whatever `standard_conforming_strings` says.
    private static func literal(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            default: escaped.append(character)
            }
        }
        return "E'\(escaped)'"
    }
}

/// The catalog snapshot could not be read; the session is refused rather than run without its column rules.
struct PostgresCatalogError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "could not resolve the resource's masking column rules: \(reason)" }
}

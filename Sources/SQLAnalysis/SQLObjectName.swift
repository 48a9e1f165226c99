/// A possibly schema-qualified name of a table or function, folded the way the server folds it.
///
/// Policies name objects the way the server resolves them, so `Users`, `users` and `"users"` must compare equal
/// on PostgreSQL (unquoted names fold to lower case, quoted names are exact, both truncate to 63 bytes) while
/// `"Users"` stays distinct. On MySQL table names keep their spelling (case-sensitive on Linux) and function names
/// fold to lower case (functions are case-insensitive there).
package struct SQLObjectName: Sendable, Hashable, CustomStringConvertible {
    /// The schema (or MySQL database) qualifier; nil when the name is unqualified.
    package var schema: String?
    /// The object's own name.
    package var name: String

    package init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    package var description: String {
        if let schema {
            return "\(schema).\(name)"
        }
        return name
    }
}

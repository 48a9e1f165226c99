/// The SQL dialect whose lexical rules apply to a text.
///
/// Quoting, comments and escapes differ between servers in ways that decide where a statement ends, so the broker
/// must lex each protocol's traffic with that server's rules, never with a generic approximation.
package enum SQLDialect: Sendable {
    /// PostgreSQL 15 lexical rules: nested block comments, dollar quoting, `E''`/`U&''` strings, `"` identifiers.
    case postgres
    /// MySQL 8 basics: `#` and `-- ` comments, executable `/*! */` comments, backticks, backslash escapes.
    case mysql
}

/// The SQL dialect whose lexical rules apply to a text.
///
/// Quoting, comments and escapes differ between servers in ways that decide where a statement ends, so the broker
/// must lex each protocol's traffic with that server's rules, never with a generic approximation.
package enum SQLDialect: Sendable {
    /// PostgreSQL 15 lexical rules: nested block comments, dollar quoting, `E''`/`U&''` strings, `"` identifiers.
    case postgres
    /// MySQL 8 and MariaDB 10.11: `#` and `-- ` comments, executable and conditional `/*! */` / `/*M! */`
    /// comments, backticks, backslash escapes unless NO_BACKSLASH_ESCAPES, `"` strings unless ANSI_QUOTES.
    case mysql
}

/// The MySQL session settings that change where a literal ends, as far as the broker knows them.
///
/// `NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES` in `sql_mode` decide whether `\'` ends a string and whether `"` opens a
/// string or an identifier. A setting the broker does not know for certain is nil, and the text is then read under
/// both values: a text that splits or prepares differently under them is refused, findings of both are merged.
/// The server reports `NO_BACKSLASH_ESCAPES` in the status flags of every OK packet, but `ANSI_QUOTES` only through
/// session-state tracking of `sql_mode`, so `ansiQuotes` is often nil.
package struct MySQLLexicalModes: Sendable, Hashable {
    /// Whether `\` escapes in `'...'` and `"..."` (the server's default); nil when unknown.
    package var backslashEscapes: Bool?
    /// Whether `"` delimits identifiers (`ANSI_QUOTES`) rather than strings; nil when unknown.
    package var ansiQuotes: Bool?

    package init(backslashEscapes: Bool?, ansiQuotes: Bool?) {
        self.backslashEscapes = backslashEscapes
        self.ansiQuotes = ansiQuotes
    }

    /// Nothing known: every text is read under every combination.
    package static let unknown = MySQLLexicalModes(backslashEscapes: nil, ansiQuotes: nil)

    /// Both values a setting may have: the known one, or both when unknown (the server default first).
    static func values(_ known: Bool?, default fallback: Bool) -> [Bool] {
        known.map { [$0] } ?? [fallback, !fallback]
    }
}

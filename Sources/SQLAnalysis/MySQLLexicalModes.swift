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

extension MySQLLexicalModes {
    /// Modes that only change how statements run, not how text is lexed.
    private static let plainModes: Set<String> = [
        "allow_invalid_dates", "empty_string_is_null", "error_for_division_by_zero", "high_not_precedence",
        "ignore_bad_table_options", "ignore_space", "invalid_dates", "mysql323", "mysql40", "no_auto_create_user",
        "no_auto_value_on_zero", "no_dir_in_create", "no_engine_substitution", "no_field_options", "no_key_options",
        "no_table_options", "no_unsigned_subtraction", "no_zero_date", "no_zero_in_date", "only_full_group_by",
        "pad_char_to_full_length", "pipes_as_concat", "real_as_float", "simultaneous_assignment",
        "strict_all_tables", "strict_trans_tables", "time_round_fractional", "time_truncate_fractional",
        "traditional",
    ]

    /// Combination modes that include ANSI_QUOTES.
    private static let quotingCombinations: Set<String> = ["ansi", "ansi_quotes", "db2", "maxdb", "postgresql"]

    /// The modes a `sql_mode` value sets (a comma-separated list of names, any case), or nil when it names a mode
    /// the broker does not know or cannot lex: MariaDB's ORACLE and MSSQL change the grammar itself.
    package init?(sqlMode value: String) {
        var modes = MySQLLexicalModes(backslashEscapes: true, ansiQuotes: false)
        for part in value.split(separator: ",") {
            let name = String(part.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased()
            if name == "no_backslash_escapes" {
                modes.backslashEscapes = false
            } else if Self.quotingCombinations.contains(name) {
                modes.ansiQuotes = true
            } else if !name.isEmpty && !Self.plainModes.contains(name) {
                return nil
            }
        }
        self = modes
    }
}

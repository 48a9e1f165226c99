import SQLAnalysis

/// Why a MySQL statement that changes how the server lexes later text is refused on a guarded resource.
///
/// A change is allowed only when the analyser reads its value as a literal the broker can follow: a character set
/// in which every ASCII byte is a character of its own, or an `sql_mode` whose lexical effect the broker knows.
/// Anything else (a variable, an expression, DEFAULT, gbk, ORACLE mode, turning session tracking off) would leave
/// the broker reading later texts differently from the server.
enum MySQLSessionRefusals {
    /// Why a character set change is refused, or nil.
    static func characterSet(_ statement: SQLStatement) -> String? {
        guard statement.isClass(.setClientEncoding) else { return nil }
        guard !statement.clientEncodings.isEmpty else {
            return "this statement may change the client character set to a value the broker cannot read"
        }
        for value in statement.clientEncodings {
            guard let value else {
                return "this statement may change the client character set to a value the broker cannot read; "
                    + "name it as a literal (SET NAMES utf8mb4)"
            }
            if MySQLCharacterSet(named: value) == nil {
                return "client character set \(value) is not one the broker can lex as the server does (multibyte "
                    + "characters may hide \\ or quotes); use utf8mb4"
            }
        }
        return nil
    }

    /// Why an `sql_mode` (or session tracking) change is refused, or nil.
    static func sqlMode(_ statement: SQLStatement) -> String? {
        guard statement.isClass(.setSessionMode) else { return nil }
        guard !statement.sqlModes.isEmpty else {
            return "this statement may change sql_mode to a value the broker cannot read"
        }
        for value in statement.sqlModes {
            guard let value else {
                return "this statement changes sql_mode to a value the broker cannot read, or changes the session "
                    + "tracking the broker follows it by; name the modes as a literal"
            }
            if MySQLLexicalModes(sqlMode: value) == nil {
                return "sql_mode '\(value)' names a mode that changes the grammar or that the broker does not know"
            }
        }
        return nil
    }
}

/// How a string literal was written; every style is decoded to its value before classification.
enum SQLStringStyle: Sendable, Equatable {
    /// `'...'` (and MySQL `"..."`).
    case standard
    /// PostgreSQL `E'...'`.
    case escape
    /// PostgreSQL `U&'...'`.
    case unicode
    /// PostgreSQL `$tag$...$tag$`.
    case dollar
    /// `N'...'`.
    case national
    /// `B'...'`.
    case bit
    /// `X'...'`.
    case hex
}

/// One lexical unit of SQL text.
struct SQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An unquoted identifier or keyword; the value is folded to lower case (ASCII only, as the servers do).
        case word
        /// A quoted identifier; the value is the exact unquoted name.
        case quotedIdentifier
        /// A string literal; the value is the decoded content.
        case string(SQLStringStyle)
        case number
        /// `$1` (PostgreSQL), `?` and `@variable` (MySQL).
        case parameter
        /// Operators and punctuation.
        case symbol
    }

    var kind: Kind
    var value: String
    /// The scalar range in the source.
    var range: Range<Int>

    func isWord(_ word: String) -> Bool {
        kind == .word && value == word
    }

    func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && value == symbol
    }

    /// Whether the token can be (part of) an object name.
    var isName: Bool {
        kind == .word || kind == .quotedIdentifier
    }

    var isString: Bool {
        if case .string = kind {
            return true
        }
        return false
    }

    /// The token as it appears in `SQLStatement.normalized`.
    var normalized: String {
        switch kind {
        case .string:
            return "'" + value.replacing("'", with: "''") + "'"
        default:
            return value
        }
    }
}

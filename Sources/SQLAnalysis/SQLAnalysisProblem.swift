/// Why a SQL text could not be analysed safely.
///
/// The broker refuses any statement it cannot lex with certainty: a text the lexer misreads is exactly the text an
/// attacker would craft to slip a statement past the guardrails. `offset` is the UTF-8 byte offset into the text
/// where the offending construct starts, so logs and error messages can point at it.
package struct SQLAnalysisProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for code to match on.
    package enum Kind: String, Sendable, Hashable {
        case nulByte
        case unexpectedCharacter
        case unterminatedString
        case unterminatedQuotedIdentifier
        case unterminatedDollarQuote
        case unterminatedComment
        case invalidEscape
        case invalidEncoding
        case emptyIdentifier
        case unbalancedParentheses
        case tooDeeplyNested
        case ambiguousQuoting
        /// A MySQL comment whose extent or meaning depends on the server's version or character set.
        case ambiguousComment
        /// A MySQL character set the broker cannot lex as the server does.
        case unsafeCharacterSet
    }

    /// What went wrong.
    package var kind: Kind
    /// The UTF-8 byte offset into the analysed text where the problem starts.
    package var offset: Int
    /// A precise human explanation.
    package var reason: String

    package var description: String {
        "cannot analyse SQL at byte \(offset): \(reason)"
    }

    init(_ kind: Kind, offset: Int, _ reason: String) {
        self.kind = kind
        self.offset = offset
        self.reason = reason
    }
}

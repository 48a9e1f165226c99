extension SQLAnalysis {
    /// `sql` with every string and numeric literal replaced by `?` and comments dropped, read with `dialect`'s
    /// lexical rules, for recordings on resources with column rules: a literal the agent typed may be a ruled value
    /// it guessed, and the recording must never hold one. Names, keywords, parameters and operators stay, so an
    /// auditor still reads what ran. Whatever follows a point the lexer cannot read is replaced whole.
    package static func redactingLiterals(_ sql: String, dialect: SQLDialect) -> String {
        let source = SQLSource(sql)
        let output = SQLLexer.tokenize(source, dialect: dialect, reading: .primary(for: dialect))
        var redacted = ""
        var end = 0
        for token in output.tokens {
            // What lies between two tokens is whitespace, kept as it was, or a comment, which may hold anything
            // and becomes one space.
            if token.range.lowerBound > end {
                let gap = source.text(end..<token.range.lowerBound)
                redacted += gap.allSatisfy(\.isWhitespace) ? gap : " "
            }
            switch token.kind {
            case .string, .number:
                redacted += "?"
            case .word, .quotedIdentifier, .parameter, .symbol:
                redacted += source.text(token.range)
            }
            end = max(end, token.range.upperBound)
        }
        if output.problem != nil { redacted += " ?" }
        return redacted
    }
}

extension SQLAnalysis {
    /// `sql` with every string and numeric literal replaced by `?` and comments dropped, read with `dialect`'s
    /// lexical rules, for recordings on resources with column rules: a literal the agent typed may be a ruled value
    /// it guessed, and the recording must never hold one. Names, keywords, parameters and operators stay, so an
    /// auditor still reads what ran. Whatever follows a point the lexer cannot read is replaced whole.
    package static func redactingLiterals(_ sql: String, dialect: SQLDialect) -> String {
        let source = SQLSource(sql)
        let output = SQLLexer.tokenize(source, dialect: dialect, reading: .primary(for: dialect))
        var words: [String] = []
        words.reserveCapacity(output.tokens.count + 1)
        for token in output.tokens {
            switch token.kind {
            case .string, .number:
                words.append("?")
            case .word, .quotedIdentifier, .parameter, .symbol:
                words.append(source.text(token.range))
            }
        }
        if output.problem != nil { words.append("?") }
        return words.joined(separator: " ")
    }
}

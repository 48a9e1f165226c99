@testable import SQLAnalysis

/// The SQL dialects the broker analyses, for the two SQL targets.
public enum FuzzedDialect {
    case postgres
    case mysql
}

/// One SQL input: analysis, lexing and literal redaction in one dialect, checked against the analyser's contract
/// with the broker's guardrails:
/// - a text with a problem has no statements (the broker refuses it whole);
/// - every statement's text is a piece of the input, and its verb has no ASCII capital;
/// - tokens lie in the text, in order, without overlapping;
/// - analysing without knowing the session's quoting settings finds at least every class and table, and every
///   opaque statement, that analysing under any one setting finds: a guardrail decided without the settings must
///   be as strict as one decided with them;
/// - a redacted text holds no string or number literal when read again.
public func checkSQL(_ sql: String, dialect fuzzed: FuzzedDialect) {
    let dialect: SQLDialect = fuzzed == .postgres ? .postgres : .mysql
    let unknown = SQLAnalysis.analyze(sql, dialect: dialect)
    checkShape(unknown, of: sql)

    let known: [SQLAnalysis]
    switch fuzzed {
    case .postgres:
        known = [true, false].map { SQLAnalysis.analyze(sql, standardConformingStrings: $0) }
    case .mysql:
        known = [true, false].flatMap { backslashes in
            [true, false].map { ansi in
                SQLAnalysis.analyze(
                    sql, dialect: .mysql, mysqlModes: MySQLLexicalModes(backslashEscapes: backslashes, ansiQuotes: ansi)
                )
            }
        }
    }
    if unknown.problem == nil {
        let classes = Set(unknown.statements.flatMap(\.classes))
        let tables = Set(unknown.statements.flatMap(\.tables).map(\.description))
        let opaque = unknown.statements.contains(where: \.opaque)
        for reading in known {
            checkShape(reading, of: sql)
            let readingClasses = Set(reading.statements.flatMap(\.classes))
            require(
                readingClasses.isSubset(of: classes),
                "a known session setting finds classes \(readingClasses.subtracting(classes)) the analysis "
                    + "without settings misses in \(sql.debugDescription)")
            let readingTables = Set(reading.statements.flatMap(\.tables).map(\.description))
            require(
                readingTables.isSubset(of: tables),
                "a known session setting finds tables \(readingTables.subtracting(tables)) the analysis without "
                    + "settings misses in \(sql.debugDescription)")
            require(
                opaque || !reading.statements.contains(where: \.opaque),
                "a known session setting finds an opaque statement the analysis without settings does not, in "
                    + sql.debugDescription)
        }
    }

    let source = SQLSource(sql)
    let lexed = SQLLexer.tokenize(source, dialect: dialect, reading: .primary(for: dialect))
    var end = 0
    for token in lexed.tokens {
        require(
            token.range.lowerBound >= end && token.range.upperBound <= source.count && !token.range.isEmpty,
            "token \(token) overlaps the one before it or lies outside the text")
        end = token.range.upperBound
    }
    guard lexed.problem == nil else { return }
    let redacted = SQLAnalysis.redactingLiterals(sql, dialect: dialect)
    let relexed = SQLLexer.tokenize(SQLSource(redacted), dialect: dialect, reading: .primary(for: dialect))
    for token in relexed.tokens {
        switch token.kind {
        case .string, .number:
            require(false, "redacting \(sql.debugDescription) leaves the literal \(token.value.debugDescription)")
        case .word, .quotedIdentifier, .parameter, .symbol:
            break
        }
    }
}

private func checkShape(_ analysis: SQLAnalysis, of sql: String) {
    require(
        analysis.problem == nil || analysis.statements.isEmpty, "a text with a problem still has statements")
    for statement in analysis.statements {
        require(
            !statement.text.isEmpty && Array(sql.utf8).firstRange(of: Array(statement.text.utf8)) != nil,
            "a statement's text is not in the input")
        // Folded as the servers fold, ASCII only.
        require(
            !statement.verb.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") },
            "verb \(statement.verb) is not lower case")
    }
}

/// The result of analysing one SQL text, which may hold several statements.
///
/// The broker's guardrails decide per statement, so the text is lexed with the server's own quoting and comment
/// rules, cut at the semicolons the server would cut at, and each statement classified. When the text cannot be
/// read with certainty, `problem` says why and the broker refuses it: a misread text is how statements get past
/// guardrails.
///
/// A session can change how the server reads string literals (PostgreSQL `standard_conforming_strings`, MySQL
/// `NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES`). When a literal would read differently under such a setting, the text
/// is analysed under each reading as well; findings of every reading are merged into the statements, and a text
/// that splits into more statements under another reading is a problem.
package struct SQLAnalysis: Sendable {
    /// The statements in text order; empty statements (`;;`, comment-only text) are dropped.
    package var statements: [SQLStatement]
    /// Set when the text could not be analysed safely; `statements` is then empty.
    package var problem: SQLAnalysisProblem?

    /// Lexes, splits and classifies `sql` with the rules of `dialect`, under every reading a session could have;
    /// for MySQL, `mysqlModes` fixes the settings the session is known to have.
    package static func analyze(
        _ sql: String, dialect: SQLDialect, mysqlModes: MySQLLexicalModes = .unknown
    ) -> SQLAnalysis {
        let readings = SQLLexer.Reading.readings(for: dialect, mysqlModes: mysqlModes)
        return analyze(
            sql, dialect: dialect, mysqlModes: mysqlModes, primary: readings[0], alternates: Array(readings.dropFirst())
        )
    }

    /// Lexes, splits and classifies PostgreSQL text under one known `standard_conforming_strings` setting, as the
    /// server reads it when that setting is in effect; nil means unknown, read both ways (as `analyze(_:dialect:)`).
    package static func analyze(_ sql: String, standardConformingStrings: Bool?) -> SQLAnalysis {
        guard let standardConformingStrings else {
            return analyze(sql, dialect: .postgres)
        }
        let reading = SQLLexer.Reading(
            backslashEscapesInStrings: !standardConformingStrings, doubleQuotesDelimitIdentifiers: true)
        return analyze(sql, dialect: .postgres, mysqlModes: .unknown, primary: reading, alternates: [])
    }

    private static func analyze(
        _ sql: String, dialect: SQLDialect, mysqlModes: MySQLLexicalModes, primary reading: SQLLexer.Reading,
        alternates: [SQLLexer.Reading]
    ) -> SQLAnalysis {
        let source = SQLSource(sql)
        let primaryReading = reading
        let primary = read(source, dialect: dialect, mysqlModes: mysqlModes, reading: reading)
        if let problem = primary.problem {
            return SQLAnalysis(statements: [], problem: problem)
        }
        var statements = primary.statements
        guard primary.readingMatters else {
            return SQLAnalysis(statements: statements, problem: nil)
        }
        for reading in alternates where reading != primaryReading {
            let alternate = read(source, dialect: dialect, mysqlModes: mysqlModes, reading: reading)
            guard alternate.statements.count <= statements.count else {
                let problem = SQLAnalysisProblem(
                    .ambiguousQuoting, offset: 0,
                    "the text splits into other statements when the session reads backslashes or double quotes "
                        + "differently in literals, or when the server skips a versioned comment")
                return SQLAnalysis(statements: [], problem: problem)
            }
            for (index, statement) in alternate.statements.enumerated() {
                guard statements[index].sameEffects(as: statement) else {
                    let problem = SQLAnalysisProblem(
                        .ambiguousQuoting, offset: 0,
                        "the text prepares, executes or deallocates other statements when the session reads "
                            + "backslashes or double quotes differently in literals, or when the server skips a "
                            + "versioned comment")
                    return SQLAnalysis(statements: [], problem: problem)
                }
                statements[index].merge(statement)
            }
        }
        return SQLAnalysis(statements: statements, problem: nil)
    }

    /// The statements of one reading. When that reading stops at a problem, only the statements completed by a
    /// semicolon before it are kept: a server that executes statements one by one would run exactly those.
    private static func read(
        _ source: SQLSource, dialect: SQLDialect, mysqlModes: MySQLLexicalModes, reading: SQLLexer.Reading
    ) -> (statements: [SQLStatement], problem: SQLAnalysisProblem?, readingMatters: Bool) {
        let lexed = SQLLexer.tokenize(source, dialect: dialect, reading: reading)
        let split = SQLStatementSplitter.split(lexed.tokens, source: source)
        let problem = lexed.problem ?? split.problem
        var segments = split.segments
        if problem != nil {
            segments = segments.filter(\.terminated)
        }
        var classifier = SQLClassifier(
            tokens: lexed.tokens, source: source, dialect: dialect, mysqlModes: mysqlModes)
        let statements = segments.map { classifier.statement($0.range) }
        return (statements, problem, lexed.readingMatters)
    }
}

extension SQLStatement {
    /// Whether another reading of the same statement prepares, executes and deallocates the same names: the broker
    /// tracks those by name, so a reading that names others cannot be merged into this one.
    fileprivate func sameEffects(as other: SQLStatement) -> Bool {
        guard executedName == other.executedName, deallocation == other.deallocation,
            prepared?.name == other.prepared?.name
        else {
            return false
        }
        guard let mine = prepared?.statement, let theirs = other.prepared?.statement else {
            return true
        }
        return mine.classes == theirs.classes && Set(mine.tables) == Set(theirs.tables)
            && Set(mine.functions) == Set(theirs.functions) && mine.opaque == theirs.opaque
    }

    /// Adds what another reading of the same text found.
    fileprivate mutating func merge(_ other: SQLStatement) {
        classes.formUnion(other.classes)
        tables = SQLClassifier.unique(tables + other.tables)
        functions = SQLClassifier.unique(functions + other.functions)
        opaque = opaque || other.opaque
        clientEncodings.append(contentsOf: other.clientEncodings)
        sqlModes.append(contentsOf: other.sqlModes)
    }
}

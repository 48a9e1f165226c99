import SQLAnalysis
import SQLCorpora
import Testing

/// The MySQL corpora through the analyser, with no session mode known (as before the server reports any), and the
/// readings a known mode fixes.
@Suite("SQL corpora, MySQL dialect")
struct SQLMySQLCorpusTests {
    @Test("the MySQL attack corpus covers every class the issue names")
    func corpusSize() {
        #expect(EvasionCorpus.mysql.count >= 120)
    }

    @Test("every MySQL evasion attempt is detected", arguments: EvasionCorpus.mysql)
    func detects(_ attempt: EvasionAttempt) {
        let analysis = SQLAnalysis.analyze(attempt.sql, dialect: .mysql)
        #expect(
            SQLDetection.detects(attempt.mustDetect, in: analysis),
            "\(attempt.sql.debugDescription) must detect \(attempt.mustDetect); got \(SQLDetection.summary(analysis))")
    }

    @Test("benign MySQL statements are read and not flagged", arguments: FalsePositiveCorpus.mysql)
    func notFlagged(_ statement: SQLBenignStatement) {
        let analysis = SQLAnalysis.analyze(statement.sql, dialect: .mysql)
        #expect(analysis.problem == nil, "\(statement.sql.debugDescription): \(SQLDetection.summary(analysis))")
        #expect(
            !SQLDetection.detects(statement.mustNotDetect, in: analysis),
            "\(statement.sql.debugDescription) must not detect \(statement.mustNotDetect): \(SQLDetection.summary(analysis))"
        )
    }

    @Test("a known NO_BACKSLASH_ESCAPES setting reads backslashes one way only")
    func knownBackslashMode() {
        let text = #"SELECT 'a\'; DROP TABLE t; -- '"#
        let escaping = SQLAnalysis.analyze(
            text, dialect: .mysql, mysqlModes: MySQLLexicalModes(backslashEscapes: true, ansiQuotes: false))
        #expect(escaping.problem == nil)
        #expect(escaping.statements.map(\.verb) == ["select"])
        let literal = SQLAnalysis.analyze(
            text, dialect: .mysql, mysqlModes: MySQLLexicalModes(backslashEscapes: false, ansiQuotes: false))
        #expect(literal.statements.map(\.verb) == ["select", "drop"])
    }

    @Test("a known ANSI_QUOTES setting decides whether \"...\" is a name or a string")
    func knownANSIQuotes() {
        let ansi = SQLAnalysis.analyze(
            #"SELECT * FROM "salaries""#, dialect: .mysql,
            mysqlModes: MySQLLexicalModes(backslashEscapes: true, ansiQuotes: true))
        #expect(ansi.statements.first?.tables == [SQLObjectName(name: "salaries")])
        let strings = SQLAnalysis.analyze(
            #"SELECT "a\"; DROP TABLE t; -- ""#, dialect: .mysql,
            mysqlModes: MySQLLexicalModes(backslashEscapes: true, ansiQuotes: false))
        #expect(strings.statements.map(\.verb) == ["select"])
    }

    @Test("sql_mode values map to the lexical modes they set; grammar-changing and unknown modes do not read")
    func sqlModeValues() {
        #expect(
            MySQLLexicalModes(sqlMode: "STRICT_TRANS_TABLES, no_backslash_escapes")
                == MySQLLexicalModes(backslashEscapes: false, ansiQuotes: false))
        #expect(MySQLLexicalModes(sqlMode: "ANSI") == MySQLLexicalModes(backslashEscapes: true, ansiQuotes: true))
        #expect(MySQLLexicalModes(sqlMode: "") == MySQLLexicalModes(backslashEscapes: true, ansiQuotes: false))
        #expect(MySQLLexicalModes(sqlMode: "ORACLE") == nil)
        #expect(MySQLLexicalModes(sqlMode: "MSSQL") == nil)
        #expect(MySQLLexicalModes(sqlMode: "NO_SUCH_MODE") == nil)
    }

    @Test("character sets: the readable ones by name and handshake collation, nothing else")
    func characterSets() {
        #expect(MySQLCharacterSet(named: "UTF8") == .utf8mb3)
        #expect(MySQLCharacterSet(named: "utf8mb4") == .utf8mb4)
        #expect(MySQLCharacterSet(named: "gbk") == nil)
        #expect(MySQLCharacterSet(named: "sjis") == nil)
        #expect(MySQLCharacterSet(collationID: 45) == .utf8mb4)
        #expect(MySQLCharacterSet(collationID: 255) == .utf8mb4)
        #expect(MySQLCharacterSet(collationID: 8) == .latin1)
        #expect(MySQLCharacterSet(collationID: 28) == nil)
        #expect(MySQLCharacterSet(collationID: 248) == nil)
    }

    @Test("a conditional comment is code in one reading and a comment in the other; both count")
    func conditionalComments() throws {
        let analysis = SQLAnalysis.analyze("SELECT 1 /*!99999 , (SELECT 1 FROM salaries) */", dialect: .mysql)
        #expect(analysis.problem == nil)
        let statement = try #require(analysis.statements.first)
        #expect(statement.tables == [SQLObjectName(name: "salaries")])
        #expect(
            analysis.statements.first?.normalized == "select 1 , ( select 1 from salaries )",
            "the primary reading runs the comment")
    }
}

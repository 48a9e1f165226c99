import SQLAnalysis
import Testing

@Suite("SQL analysis, MySQL dialect")
struct SQLMySQLDialectTests {
    private func analyze(_ sql: String) -> SQLAnalysis {
        SQLAnalysis.analyze(sql, dialect: .mysql)
    }

    @Test("backtick identifiers name tables exactly, with the database as schema")
    func backticks() {
        let statement = analyze("SELECT `a` FROM `db`.`My``Table` JOIN Users u ON 1").statements.first
        #expect(statement?.tables == [SQLObjectName(schema: "db", name: "My`Table"), SQLObjectName(name: "Users")])
    }

    @Test("# and '-- ' comments hide text; '--' without a space does not start a comment")
    func comments() {
        #expect(analyze("SELECT 1 # ; DROP TABLE t").statements.map(\.verb) == ["select"])
        #expect(analyze("SELECT 1 -- ; DROP TABLE t").statements.map(\.verb) == ["select"])
        #expect(analyze("SELECT 1 --1; DROP TABLE t").statements.map(\.verb) == ["select", "drop"])
    }

    @Test("executable comments are code")
    func executableComments() {
        // A semicolon inside one is refused: MariaDB rejects it, and where it splits is not certain.
        #expect(analyze("SELECT 1 /*!50000 ; DROP TABLE t */").problem?.kind == .ambiguousComment)
        #expect(analyze("SELECT 1 /*!50000 + 1 */; /*!DROP TABLE t */").statements.map(\.verb) == ["select", "drop"])
        #expect(analyze("/*!DROP*/ TABLE t").statements.first?.classes.contains(.drop) == true)
        #expect(analyze("/* DROP */ SELECT 1").statements.first?.verb == "select")
    }

    @Test("backslash escapes keep quotes inside strings, in both quote styles")
    func backslashEscapes() {
        let analysis = analyze(#"SELECT 'it\'s; DROP TABLE t', "a\"; DROP TABLE u""#)
        #expect(analysis.problem == nil)
        #expect(analysis.statements.map(\.verb) == ["select"])
        #expect(analysis.statements.first?.normalized == #"select 'it''s; DROP TABLE t' , 'a"; DROP TABLE u'"#)
    }

    @Test("a text that runs a DROP once the session sets NO_BACKSLASH_ESCAPES or ANSI_QUOTES is refused")
    func sqlModes() {
        #expect(analyze(#"SELECT 'a\'; DROP TABLE t; SELECT '"#).problem?.kind == .ambiguousQuoting)
        #expect(analyze(#"SELECT "a\"; DROP TABLE t; -- ""#).problem?.kind == .ambiguousQuoting)
    }

    @Test("MySQL statement shapes: REPLACE, multi-table DELETE, INTO OUTFILE, PREPARE FROM a string")
    func statements() throws {
        let replace = try #require(analyze("REPLACE INTO t VALUES (1)").statements.first)
        #expect(replace.classes.isSuperset(of: [.insert, .delete]))
        let delete = try #require(analyze("DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id").statements.first)
        #expect(delete.classes.contains(.deleteWithoutWhere))
        #expect(delete.tables.map(\.name) == ["t1", "t2"])
        #expect(
            analyze("SELECT * FROM t INTO OUTFILE '/tmp/x'").statements.first?.classes.contains(.selectInto) == true)
        let prepare = try #require(analyze("PREPARE s FROM 'DELETE FROM t'").statements.first)
        #expect(prepare.prepared?.statement.classes.contains(.deleteWithoutWhere) == true)
        #expect(prepare.classes.contains(.deleteWithoutWhere))
        #expect(analyze("PREPARE s FROM @sql").statements.first?.opaque == true)
        #expect(
            analyze("SELECT LOAD_FILE('/etc/passwd')").statements.first?.functions == [SQLObjectName(name: "load_file")]
        )
        #expect(
            analyze("LOAD DATA INFILE '/tmp/x' INTO TABLE t").statements.first?.classes == [.load, .insert, .copyFile])
    }

    @Test("unterminated MySQL literals are problems")
    func problems() {
        #expect(analyze("SELECT `a").problem?.kind == .unterminatedQuotedIdentifier)
        #expect(analyze("SELECT 'a\\'").problem?.kind == .unterminatedString)
        #expect(analyze("SELECT /*! 1").problem?.kind == .unterminatedComment)
    }
}

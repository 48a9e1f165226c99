import SQLAnalysis
import Testing

/// A statement, its expected verb and classes (exactly), and objects it must name.
struct SQLClassification: Sendable, CustomTestStringConvertible {
    let sql: String
    let verb: String
    let classes: Set<String>
    var tables: [String] = []
    var functions: [String] = []

    var testDescription: String { sql }
}

@Suite("SQL statement classifier")
struct SQLClassifierTests {
    static let cases: [SQLClassification] = [
        .init(
            sql: "SELECT a FROM s.t x JOIN u ON x.id = u.id", verb: "select", classes: ["select"], tables: ["s.t", "u"]),
        .init(
            sql: "select * from only t *, lateral f(t.a) g", verb: "select", classes: ["select"], tables: ["t"],
            functions: ["f"]),
        .init(sql: "(select 1) union (select 2 from t)", verb: "select", classes: ["select"], tables: ["t"]),
        .init(sql: "INSERT INTO t (a) VALUES (1)", verb: "insert", classes: ["insert"], tables: ["t"]),
        .init(
            sql: "insert into t select * from u", verb: "insert", classes: ["insert", "select"], tables: ["t", "u"]),
        .init(sql: "UPDATE t SET a = 1 WHERE id = 2", verb: "update", classes: ["update"], tables: ["t"]),
        .init(
            sql: "UPDATE t SET a = u.a FROM u", verb: "update", classes: ["update", "update_without_where"],
            tables: ["t", "u"]),
        .init(sql: "DELETE FROM t WHERE id = 2", verb: "delete", classes: ["delete"], tables: ["t"]),
        .init(sql: "DELETE FROM t USING u WHERE t.id = u.id", verb: "delete", classes: ["delete"], tables: ["t", "u"]),
        .init(sql: "DELETE FROM t", verb: "delete", classes: ["delete", "delete_without_where"], tables: ["t"]),
        .init(
            sql:
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = 1 WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)",
            verb: "merge", classes: ["merge", "update", "insert"], tables: ["t", "s"]),
        .init(sql: "DROP TABLE IF EXISTS a, s.b", verb: "drop", classes: ["drop"], tables: ["a", "s.b"]),
        .init(sql: "DROP INDEX i", verb: "drop", classes: ["drop"]),
        .init(
            sql: "TRUNCATE TABLE ONLY a, b * RESTART IDENTITY", verb: "truncate", classes: ["truncate"],
            tables: ["a", "b"]),
        .init(
            sql: "ALTER TABLE t ADD COLUMN c int REFERENCES u(id)", verb: "alter", classes: ["alter"],
            tables: ["t", "u"]),
        .init(sql: "ALTER ROLE r WITH PASSWORD 'x'", verb: "alter", classes: ["alter"]),
        .init(sql: "CREATE TABLE t (id int)", verb: "create", classes: ["create"], tables: ["t"]),
        .init(
            sql: "CREATE TABLE t AS SELECT * FROM u", verb: "create", classes: ["create", "select"], tables: ["t", "u"]),
        .init(
            sql: "CREATE VIEW v AS SELECT * FROM u", verb: "create", classes: ["create", "select"], tables: ["v", "u"]),
        .init(
            // A SQL body is analysed now (issue 15): it used to count as `create` alone.
            sql: "CREATE FUNCTION f(a int) RETURNS int AS $$ delete from t $$ LANGUAGE sql", verb: "create",
            classes: ["create", "delete", "delete_without_where"], tables: ["t"]),
        .init(
            sql: "CREATE SCHEMA s CREATE TABLE t (id int) GRANT SELECT ON t TO r", verb: "create",
            classes: ["create", "grant"], tables: ["t"]),
        .init(sql: "GRANT SELECT ON TABLE t TO r", verb: "grant", classes: ["grant"], tables: ["t"]),
        .init(sql: "GRANT r TO u", verb: "grant", classes: ["grant"]),
        .init(sql: "REVOKE ALL ON SCHEMA s FROM r", verb: "revoke", classes: ["revoke"]),
        .init(sql: "COPY t (a, b) FROM STDIN", verb: "copy", classes: ["copy"], tables: ["t"]),
        .init(sql: "COPY (SELECT * FROM u) TO STDOUT", verb: "copy", classes: ["copy", "select"], tables: ["u"]),
        .init(
            sql: "COPY t TO PROGRAM 'gzip > /tmp/t.gz'", verb: "copy", classes: ["copy", "copy_program"], tables: ["t"]),
        .init(sql: "COPY t FROM '/tmp/t.csv'", verb: "copy", classes: ["copy", "copy_file"], tables: ["t"]),
        .init(sql: "CALL p(1)", verb: "call", classes: ["call"], functions: ["p"]),
        .init(sql: "DO $$ begin end $$", verb: "do", classes: ["do"]),
        .init(sql: "EXECUTE p(1)", verb: "execute", classes: ["execute"]),
        .init(sql: "PREPARE p AS SELECT 1", verb: "prepare", classes: ["prepare", "select"]),
        .init(sql: "DEALLOCATE p", verb: "deallocate", classes: ["deallocate"]),
        .init(sql: "SET statement_timeout = 0", verb: "set", classes: ["set"]),
        .init(sql: "SET search_path TO a", verb: "set", classes: ["set", "set_search_path"]),
        .init(sql: "RESET statement_timeout", verb: "reset", classes: ["reset"]),
        .init(sql: "RESET search_path", verb: "reset", classes: ["reset", "set_search_path"]),
        .init(sql: "SHOW ALL", verb: "show", classes: ["show"]),
        .init(sql: "BEGIN", verb: "begin", classes: ["transaction"]),
        .init(sql: "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", verb: "start", classes: ["transaction"]),
        .init(sql: "COMMIT", verb: "commit", classes: ["transaction"]),
        .init(sql: "ROLLBACK TO SAVEPOINT s", verb: "rollback", classes: ["transaction"]),
        .init(sql: "PREPARE TRANSACTION 'x'", verb: "prepare", classes: ["transaction"]),
        .init(sql: "LOCK TABLE a, b IN SHARE MODE", verb: "lock", classes: ["lock"], tables: ["a", "b"]),
        .init(sql: "VACUUM (VERBOSE, ANALYZE) t (a), u", verb: "vacuum", classes: ["vacuum"], tables: ["t", "u"]),
        .init(sql: "ANALYZE VERBOSE t", verb: "analyze", classes: ["analyze"], tables: ["t"]),
        .init(sql: "EXPLAIN SELECT * FROM t", verb: "explain", classes: ["explain", "select"], tables: ["t"]),
        .init(sql: "COMMENT ON COLUMN s.t.c IS 'x'", verb: "comment", classes: ["comment"], tables: ["s.t"]),
        .init(sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY mv", verb: "refresh", classes: ["refresh"], tables: ["mv"]),
        .init(sql: "REINDEX TABLE CONCURRENTLY t", verb: "reindex", classes: ["reindex"], tables: ["t"]),
        .init(sql: "CLUSTER VERBOSE t USING i", verb: "cluster", classes: ["cluster"], tables: ["t"]),
        .init(sql: "LISTEN c", verb: "listen", classes: ["listen"]),
        .init(sql: "UNLISTEN *", verb: "unlisten", classes: ["listen"]),
        .init(sql: "NOTIFY c, 'x'", verb: "notify", classes: ["notify"]),
        .init(sql: "DISCARD PLANS", verb: "discard", classes: ["discard"]),
        .init(sql: "LOAD 'auto_explain'", verb: "load", classes: ["load"]),
        .init(sql: "IMPORT FOREIGN SCHEMA r FROM SERVER s INTO l", verb: "import", classes: ["import"]),
        .init(sql: "SECURITY LABEL ON TABLE t IS 'x'", verb: "security", classes: ["security_label"], tables: ["t"]),
        .init(sql: "VALUES (1), (2)", verb: "values", classes: ["values"]),
        .init(sql: "TABLE t", verb: "table", classes: ["table", "select"], tables: ["t"]),
        .init(
            sql: "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t", verb: "declare", classes: ["declare", "select"],
            tables: ["t"]),
        .init(sql: "FETCH 10 FROM c", verb: "fetch", classes: ["fetch"]),
        .init(sql: "CLOSE c", verb: "close", classes: ["close"]),
        .init(sql: "CHECKPOINT", verb: "checkpoint", classes: ["checkpoint"]),
        .init(sql: "REASSIGN OWNED BY a TO b", verb: "reassign", classes: ["reassign"]),
        .init(sql: "FROBNICATE t", verb: "frobnicate", classes: ["unknown"]),
        .init(
            sql: "SELECT * INTO t2 FROM t", verb: "select", classes: ["select", "select_into", "create"],
            tables: ["t2", "t"]),
        .init(
            sql: "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", verb: "select",
            classes: ["select", "delete", "delete_without_where"], tables: ["t"]),
    ]

    @Test("verbs, classes and objects", arguments: cases)
    func classification(_ expected: SQLClassification) throws {
        let analysis = SQLAnalysis.analyze(expected.sql, dialect: .postgres)
        #expect(analysis.problem == nil)
        let statement = try #require(analysis.statements.first)
        #expect(analysis.statements.count == 1)
        #expect(statement.verb == expected.verb)
        #expect(Set(statement.classes.map(\.rawValue)) == expected.classes)
        #expect(statement.tables.map(\.description) == expected.tables)
        #expect(expected.functions.allSatisfy { name in statement.functions.contains { $0.name == name } })
    }

    @Test("unknown verbs and DO blocks are opaque; function bodies are not")
    func opacity() {
        #expect(SQLAnalysis.analyze("FROBNICATE t", dialect: .postgres).statements.first?.opaque == true)
        #expect(SQLAnalysis.analyze("DO 'begin end'", dialect: .postgres).statements.first?.opaque == true)
        let function = SQLAnalysis.analyze(
            "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql", dialect: .postgres)
        #expect(function.statements.first?.opaque == false)
        #expect(SQLAnalysis.analyze("select (1) ; (drop table t)", dialect: .postgres).statements.last?.opaque == true)
    }

    @Test("multi-statement texts are split; empty statements are dropped")
    func splitting() {
        let analysis = SQLAnalysis.analyze(" SELECT 1 ;; /* only a comment */ ; DROP TABLE t; ", dialect: .postgres)
        #expect(analysis.statements.map(\.verb) == ["select", "drop"])
        #expect(analysis.statements.map(\.text) == ["SELECT 1", "DROP TABLE t"])
        #expect(SQLAnalysis.analyze("-- nothing\n;", dialect: .postgres).statements.isEmpty)
    }

    @Test("normalized text drops comments, folds words and re-renders literals")
    func normalization() {
        let statement = SQLAnalysis.analyze(
            "SELECT /* c */ \"Col\", E'it\\'s', $t$x$t$ FROM  T -- end", dialect: .postgres
        ).statements.first
        #expect(statement?.normalized == "select Col , 'it''s' , 'x' from t")
    }

    @Test("PREPARE exposes the name and the prepared statement; EXECUTE and DEALLOCATE expose names")
    func preparedStatements() throws {
        let prepare = try #require(
            SQLAnalysis.analyze("PREPARE Del (int) AS DELETE FROM t", dialect: .postgres).statements.first)
        let prepared = try #require(prepare.prepared)
        #expect(prepared.name == "del")
        #expect(prepared.statement.verb == "delete")
        #expect(prepared.statement.classes.contains(.deleteWithoutWhere))
        #expect(prepared.statement.text == "DELETE FROM t")
        #expect(SQLAnalysis.analyze("EXECUTE Del(1)", dialect: .postgres).statements.first?.executedName == "del")
        #expect(
            SQLAnalysis.analyze("EXPLAIN ANALYZE EXECUTE del", dialect: .postgres).statements.first?.executedName
                == "del")
        #expect(
            SQLAnalysis.analyze("DEALLOCATE PREPARE del", dialect: .postgres).statements.first?.deallocation
                == .named("del"))
        #expect(SQLAnalysis.analyze("DEALLOCATE ALL", dialect: .postgres).statements.first?.deallocation == .all)
    }

    @Test("object types of DDL statements")
    func objectTypes() {
        let types = ["DROP MATERIALIZED VIEW v", "CREATE UNIQUE INDEX i ON t (a)", "ALTER DATABASE d RENAME TO e"].map {
            SQLAnalysis.analyze($0, dialect: .postgres).statements.first?.objectType
        }
        #expect(types == ["materialized view", "index", "database"])
    }

    @Test("a WHERE inside a subquery does not count for the outer DELETE")
    func whereLevels() {
        let analysis = SQLAnalysis.analyze("DELETE FROM t USING (SELECT id FROM u WHERE a = 1) s", dialect: .postgres)
        #expect(analysis.statements.first?.classes.contains(.deleteWithoutWhere) == true)
    }

    @Test("CTE names are not tables, but a real table of the same name outside the CTE's scope is")
    func cteScope() {
        let analysis = SQLAnalysis.analyze("WITH a AS (SELECT 1) SELECT * FROM a, b", dialect: .postgres)
        #expect(analysis.statements.first?.tables == [SQLObjectName(name: "b")])
    }

    @Test("functions are named with their schema; keyword constructs and definitions are not calls")
    func functionNames() {
        let statement = SQLAnalysis.analyze(
            "select pg_catalog.now(), coalesce(a, 1), x in (1), exists (select 1), cast(a as numeric(3)) from t",
            dialect: .postgres
        ).statements.first
        #expect(
            statement?.functions == [SQLObjectName(schema: "pg_catalog", name: "now"), SQLObjectName(name: "coalesce")])
        let create = SQLAnalysis.analyze(
            "CREATE FUNCTION f(a int) RETURNS TABLE (x int) AS 'x' LANGUAGE sql", dialect: .postgres)
        #expect(create.statements.first?.functions == [])
    }

    @Test("unbalanced parentheses are a problem")
    func unbalanced() {
        #expect(SQLAnalysis.analyze("select (1", dialect: .postgres).problem?.kind == .unbalancedParentheses)
        #expect(SQLAnalysis.analyze("select 1)", dialect: .postgres).problem?.kind == .unbalancedParentheses)
    }

    @Test("a statement that splits differently when standard_conforming_strings is off is refused")
    func readings() {
        let ambiguous = SQLAnalysis.analyze(#"select 'a\'' ; drop table t; -- '"#, dialect: .postgres)
        #expect(ambiguous.problem?.kind == .ambiguousQuoting)
        let merged = SQLAnalysis.analyze(#"select set_config('search\_path', 'x', false)"#, dialect: .postgres)
        #expect(merged.problem == nil)
        #expect(merged.statements.first?.classes.contains(.setSearchPath) == true)
    }
}

@Suite("SQL analysis limits")
struct SQLAnalysisLimitTests {
    @Test("deeply nested parentheses are a problem, not a crash")
    func deepParentheses() {
        let text = "select " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(SQLAnalysis.analyze(text, dialect: .postgres).problem?.kind == .tooDeeplyNested)
        let allowed = "select " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(SQLAnalysis.analyze(allowed, dialect: .postgres).problem == nil)
    }

    @Test("statements nested without parentheses become opaque beyond the limit")
    func deepStatements() {
        let text = String(repeating: "PREPARE p AS ", count: 1_000) + "DELETE FROM t"
        let statement = SQLAnalysis.analyze(text, dialect: .postgres).statements.first
        #expect(statement?.opaque == true)
    }
}

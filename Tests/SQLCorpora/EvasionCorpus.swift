/// What an evasion attempt must not get past: a statement class (by raw value), a called function, a touched
/// table (by name, any schema), or an analysis that is refused (an opaque statement or a problem).
package enum Detection: Sendable, Hashable {
    case statementClass(String)
    case function(String)
    case table(String)
    case opaqueOrProblem
}

/// One SQL text that tries to hide a dangerous operation, and what the analysis must see in it.
package struct EvasionAttempt: Sendable {
    package let sql: String
    package let mustDetect: Detection

    package init(sql: String, mustDetect: Detection) {
        self.sql = sql
        self.mustDetect = mustDetect
    }
}

/// Attempts to smuggle dangerous statements past lexical guardrails.
///
/// Every `sql` is either valid PostgreSQL 15 (so it would do harm if it reached the server) or deliberately
/// malformed, in which case it must be refused (`.opaqueOrProblem`). The broker's policy tests and the end-to-end
/// test against a real server reuse this table.
package enum EvasionCorpus {
    /// Every attempt, by class.
    package static let attempts: [EvasionAttempt] = lexical + encodings + codeThatRunsLater + sessionState

    /// Lexical tricks: comments, quoting, case, several statements, nesting.
    static let lexical: [EvasionAttempt] = [
        // Comments, case and whitespace around the verb.
        EvasionAttempt(sql: "DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "/* x */DROP/* y */TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "DROP--x\nTABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "DROP--x\rTABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "dRoP tAbLe t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "DROP\tTABLE\u{0C}t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "\n\r\t DROP\n\nTABLE\r\nt\t;", mustDetect: .statementClass("drop")),
        EvasionAttempt(
            sql: "/* outer /* nested ; */ still comment */ DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "/* a /* b */ ; SELECT 1 */ DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "DROP TABLE \"T\"", mustDetect: .table("T")),
        EvasionAttempt(sql: "DROP TABLE IF EXISTS a, \"t\" CASCADE", mustDetect: .table("t")),
        EvasionAttempt(sql: "DROP SCHEMA public CASCADE", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "DROP DATABASE prod", mustDetect: .statementClass("drop")),
        // Unicode whitespace is part of an identifier on the server: a syntax error there, refused here.
        EvasionAttempt(sql: "DROP\u{00A0}TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "\u{3000}DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "\"DROP\" TABLE t", mustDetect: .opaqueOrProblem),

        // Several statements in one text.
        EvasionAttempt(sql: "select 1;drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select 1;/**/DrOp TaBlE t--", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select 1 -- comment ; ignored\n; DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select 'x' /* ';' */; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select * from t where a = '--'; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select '*/'; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select 1 as \"a;\"; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select $$;$$; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select $a$ $$ ; $a$; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select 1; /* ; */ TRUNCATE t", mustDetect: .statementClass("truncate")),
        EvasionAttempt(
            sql: "SeLeCt 1 uNiOn SeLeCt 2; dElEtE fRoM t", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "SELECT * FROM t FOR UPDATE; UPDATE t SET a = 2", mustDetect: .statementClass("update_without_where")),

        // Backslashes: standard strings keep them, so the quote ends the string on the server.
        EvasionAttempt(sql: #"select '\'; drop table t; --'"#, mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: #"select E'\\';drop table t;--'"#, mustDetect: .statementClass("drop")),
        // Harmless with the default standard_conforming_strings = on, a DROP when the session turned it off: the
        // analysis cannot know the session's setting, so the text is refused.
        EvasionAttempt(sql: #"select 'a\'' ; drop table t; -- '"#, mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: #"select U&'!0027' UESCAPE '!'; DROP TABLE t"#, mustDetect: .statementClass("drop")),

        // Data-modifying CTEs.
        EvasionAttempt(
            sql: "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", mustDetect: .statementClass("delete")),
        EvasionAttempt(
            sql: "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3), "
                + "d AS (DELETE FROM t WHERE true RETURNING 1) SELECT * FROM r",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "WITH a AS (WITH b AS (SELECT 1) SELECT * FROM b), u AS (UPDATE t SET x = 1 RETURNING *) "
                + "SELECT * FROM a, u",
            mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(
            sql: "WITH d AS (DELETE FROM t RETURNING *) INSERT INTO log SELECT * FROM d",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "WITH u AS (UPDATE t SET x = 1 RETURNING id) UPDATE s SET y = 2 WHERE id IN (SELECT id FROM u)",
            mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(
            sql: "WITH x AS (SELECT 1) UPDATE t SET a = 1", mustDetect: .statementClass("update_without_where")),

        // Trivially true WHERE clauses.
        EvasionAttempt(sql: "DELETE FROM t", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "DELETE FROM ONLY t", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "delete from t where (true)", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "DELETE FROM t WHERE id = id", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "DELETE FROM t WHERE 'a' = 'a'", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "UPDATE t SET a = 1 WHERE 1 = 1", mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(
            sql: "UPDATE t SET a = 1 WHERE id = 5 OR true", mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(sql: "UPDATE t SET a = 1 WHERE NOT false", mustDetect: .statementClass("update_without_where")),

        // Statements that run other statements.
        EvasionAttempt(sql: "EXPLAIN ANALYZE DELETE FROM t", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "EXPLAIN (ANALYZE, COSTS OFF) DELETE FROM t WHERE 1 = 1",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "EXPLAIN ANALYZE CREATE TABLE x AS SELECT * FROM pg_authid", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "PREPARE p AS DELETE FROM t", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "PREPARE p (int) AS UPDATE t SET x = $1", mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(
            sql: "PREPARE p AS DELETE FROM t; EXECUTE p", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "EXECUTE p", mustDetect: .statementClass("execute")),
        EvasionAttempt(sql: "cReAtE tAbLe x aS eXeCuTe p", mustDetect: .statementClass("execute")),
        EvasionAttempt(sql: "DO $$BEGIN EXECUTE 'DROP TABLE t'; END$$", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "DO LANGUAGE plpgsql 'BEGIN DROP TABLE t; END'", mustDetect: .statementClass("do")),
        EvasionAttempt(
            sql: "CREATE RULE r AS ON INSERT TO t DO INSTEAD DELETE FROM u", mustDetect: .statementClass("create")),
        EvasionAttempt(
            sql: "CREATE OR REPLACE RULE r AS ON UPDATE TO t DO ALSO (DELETE FROM u; NOTIFY c)",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC DELETE FROM t; SELECT 1; END",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", mustDetect: .statementClass("delete")),
        EvasionAttempt(
            sql: "INSERT INTO t SELECT * FROM s ON CONFLICT (id) DO UPDATE SET x = excluded.x",
            mustDetect: .statementClass("update")),

        // COPY.
        EvasionAttempt(sql: "COPY t TO PROGRAM 'cat > /tmp/x'", mustDetect: .statementClass("copy_program")),
        EvasionAttempt(sql: "COPY t FROM PROGRAM 'id'", mustDetect: .statementClass("copy_program")),
        EvasionAttempt(sql: "copy (select 1) to program 'sh -c id'", mustDetect: .statementClass("copy_program")),
        EvasionAttempt(
            sql: "COPY (DELETE FROM t RETURNING *) TO STDOUT", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "COPY t TO '/tmp/t.csv'", mustDetect: .statementClass("copy_file")),

        // Dangerous functions in many spellings.
        EvasionAttempt(sql: "select pg_read_file('/etc/passwd')", mustDetect: .function("pg_read_file")),
        EvasionAttempt(sql: "select \"pg_read_file\"('/etc/passwd')", mustDetect: .function("pg_read_file")),
        EvasionAttempt(sql: "select pg_catalog . pg_read_file('/etc/passwd')", mustDetect: .function("pg_read_file")),
        EvasionAttempt(sql: "select PG_READ_FILE('/etc/passwd')", mustDetect: .function("pg_read_file")),
        EvasionAttempt(sql: #"select U&"pg\005fread_file"('/etc/passwd')"#, mustDetect: .function("pg_read_file")),
        EvasionAttempt(
            sql: #"select U&"pg!005fread_file" UESCAPE '!' ('/etc/passwd')"#, mustDetect: .function("pg_read_file")),
        EvasionAttempt(
            sql: "select pg_catalog./**/pg_read_file/**/('/etc/passwd')", mustDetect: .function("pg_read_file")),
        EvasionAttempt(
            sql: "select * from pg_read_file('/etc/passwd') as f(line)", mustDetect: .function("pg_read_file")),
        EvasionAttempt(
            sql: "select x from t where x in (select pg_read_binary_file('/etc/passwd'))",
            mustDetect: .function("pg_read_binary_file")),
        EvasionAttempt(sql: "select (select pg_ls_dir('.') limit 1)", mustDetect: .function("pg_ls_dir")),
        EvasionAttempt(sql: "select lo_export(12345, '/tmp/x')", mustDetect: .function("lo_export")),
        EvasionAttempt(sql: "select pg_catalog.lo_export(12345, '/tmp/x')", mustDetect: .function("lo_export")),
        EvasionAttempt(
            sql: "select \"pg_catalog\".\"lo_export\"(12345, '/tmp/x')", mustDetect: .function("lo_export")),
        EvasionAttempt(
            sql: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity", mustDetect: .function("pg_terminate_backend")
        ),
        EvasionAttempt(sql: "select dblink_exec('host=x', 'drop table t')", mustDetect: .function("dblink_exec")),
        EvasionAttempt(
            sql: "select * from t tablesample system (10) where pg_sleep(1) is null", mustDetect: .function("pg_sleep")),
        EvasionAttempt(
            sql: "DECLARE c CURSOR FOR SELECT pg_read_file('/etc/passwd')", mustDetect: .function("pg_read_file")),

        // search_path changes.
        EvasionAttempt(
            sql: "select set_config('search_path', 'evil,public', false)",
            mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "select pg_catalog.set_config('SEARCH_PATH', 'evil', true)",
            mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "select set_config('search_' || 'path', 'evil', false)", mustDetect: .statementClass("set_search_path")
        ),
        EvasionAttempt(
            sql: "select set_config('search_'\n'path', 'evil', false)", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "select set_config(E'search\\137path', 'evil', false)", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "SET search_path = evil, public", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "set local \"search_path\" to evil", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "SET SESSION SEARCH_PATH TO evil", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "SET SCHEMA 'evil'", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "RESET ALL", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "DISCARD ALL", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "ALTER ROLE current_user SET search_path = evil", mustDetect: .statementClass("set_search_path")),

        // Other dangerous shapes.
        EvasionAttempt(sql: "SELECT * INTO newtable FROM t", mustDetect: .statementClass("select_into")),
        EvasionAttempt(sql: "SELECT * INTO TEMP TABLE t2 FROM t", mustDetect: .statementClass("select_into")),
        EvasionAttempt(sql: "TABLE pg_authid", mustDetect: .statementClass("table")),
        EvasionAttempt(sql: "TABLE pg_authid", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "TRUNCATE ONLY t", mustDetect: .statementClass("truncate")),
        EvasionAttempt(sql: "TRUNCATE TABLE a, b CASCADE", mustDetect: .table("b")),
        EvasionAttempt(sql: "ALTER TABLE t RENAME TO t_old", mustDetect: .statementClass("alter")),
        EvasionAttempt(sql: "ALTER TABLE IF EXISTS ONLY t RENAME COLUMN a TO b", mustDetect: .table("t")),
        EvasionAttempt(sql: "ALTER SYSTEM SET shared_preload_libraries = 'evil'", mustDetect: .statementClass("alter")),
        EvasionAttempt(sql: "GRANT ALL ON t TO PUBLIC", mustDetect: .statementClass("grant")),
        EvasionAttempt(
            sql: "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC", mustDetect: .statementClass("grant")),
        EvasionAttempt(sql: "REVOKE ALL ON t FROM PUBLIC", mustDetect: .statementClass("revoke")),
        EvasionAttempt(sql: "VACUUM FULL t", mustDetect: .statementClass("vacuum")),
        EvasionAttempt(sql: "select ctid from t; vacuum full", mustDetect: .statementClass("vacuum")),
        EvasionAttempt(sql: "LOCK TABLE t IN ACCESS EXCLUSIVE MODE", mustDetect: .statementClass("lock")),
        EvasionAttempt(sql: "LOAD 'evil'", mustDetect: .statementClass("load")),
        EvasionAttempt(sql: "COMMENT ON TABLE t IS 'x'", mustDetect: .statementClass("comment")),
        EvasionAttempt(sql: "REFRESH MATERIALIZED VIEW mv", mustDetect: .statementClass("refresh")),

        // Reading protected tables indirectly.
        EvasionAttempt(sql: "CREATE TABLE x AS SELECT * FROM pg_shadow", mustDetect: .table("pg_shadow")),
        EvasionAttempt(sql: "select * from pg_catalog.pg_authid", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "select * from \"pg_authid\"", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "SELECT * FROM (SELECT * FROM pg_authid) s", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "select * from t1 join pg_authid a on true", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "select (select rolpassword from pg_authid limit 1)", mustDetect: .table("pg_authid")),
        EvasionAttempt(sql: "select 1 where exists (select 1 from pg_authid)", mustDetect: .table("pg_authid")),
        EvasionAttempt(
            sql: "select * from t, lateral (select * from pg_authid) a", mustDetect: .table("pg_authid")),
        EvasionAttempt(
            sql:
                "WITH pg_authid AS (SELECT 1) SELECT * FROM (WITH x AS (SELECT 2) SELECT * FROM x) a, pg_catalog.pg_authid",
            mustDetect: .table("pg_authid")),

        // Malformed texts must be refused, never guessed at.
        EvasionAttempt(sql: "select 'unterminated; drop table t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select $$ never closed; drop table t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select 1 /* open comment; drop table t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select \"unterminated; drop table t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select 1; drop table t /* /* */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select 1 as a$$; drop table t; $$", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: #"select E'\u12'; drop table t"#, mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select 1\u{0}; drop table t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select (1; drop table t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "FOO DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "select 1 \\; drop table t", mustDetect: .opaqueOrProblem),
    ]
}

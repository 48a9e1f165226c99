/// A benign statement whose text mentions something dangerous, and the detection it must not trigger.
package struct SQLBenignStatement: Sendable {
    package let sql: String
    package let mustNotDetect: Detection

    package init(sql: String, mustNotDetect: Detection) {
        self.sql = sql
        self.mustNotDetect = mustNotDetect
    }
}

/// Benign statements that mention something dangerous: the analyser must not flag them. Shared by the analyser's
/// tests and the broker's policy tests.
package enum FalsePositiveCorpus {
    package static let benign: [SQLBenignStatement] = [
        SQLBenignStatement(sql: "select 'drop table t'", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(
            sql: "select * from t where note = 'DELETE FROM t'", mustNotDetect: .statementClass("delete")),
        SQLBenignStatement(sql: "select 1 -- drop table t", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select 1 /* ; drop table t */", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select 1 /* /* ; */ drop table t */", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select dropped_at from t", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select * from drop_log", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select 1 as \"drop table t\"", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(
            sql: "select \"delete\" from t where \"delete\" = 1", mustNotDetect: .statementClass("delete")),
        SQLBenignStatement(sql: "select $$drop table t$$", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select $q$ $$; drop table t; $$ $q$", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: #"select E'\';drop table t;--'"#, mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "select U&'drop table t'", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(
            sql: "insert into t (note) values ('truncate; drop')", mustNotDetect: .statementClass("truncate")),
        SQLBenignStatement(
            sql: "select truncate_id, vacuum_count from stats", mustNotDetect: .statementClass("vacuum")),
        SQLBenignStatement(
            sql: "update t set deleted = true where id = 1", mustNotDetect: .statementClass("update_without_where")),
        SQLBenignStatement(
            sql: "update t set a = 1 where id = 5 and b = 'where'",
            mustNotDetect: .statementClass("update_without_where")),
        SQLBenignStatement(
            sql: "update t set a = (select 1 from u where true) where id = 2",
            mustNotDetect: .statementClass("update_without_where")),
        SQLBenignStatement(
            sql: "delete from t where id in (select id from u)", mustNotDetect: .statementClass("delete_without_where")),
        SQLBenignStatement(
            sql: "delete from t where id = 1 returning *", mustNotDetect: .statementClass("delete_without_where")),
        SQLBenignStatement(
            sql: "delete from t where current of c", mustNotDetect: .statementClass("delete_without_where")),
        SQLBenignStatement(
            sql: "with x as (select 1) select * from x where exists (select 1 from t where t.a = 'delete')",
            mustNotDetect: .statementClass("delete")),
        SQLBenignStatement(sql: "SELECT * FROM t FOR UPDATE", mustNotDetect: .statementClass("update")),
        SQLBenignStatement(sql: "select copy_program from t", mustNotDetect: .statementClass("copy_program")),
        SQLBenignStatement(sql: "select 'COPY t TO PROGRAM ''x'''", mustNotDetect: .statementClass("copy_program")),
        SQLBenignStatement(sql: "COPY t TO STDOUT", mustNotDetect: .statementClass("copy_program")),
        SQLBenignStatement(sql: "select 'pg_read_file(''x'')'", mustNotDetect: .function("pg_read_file")),
        SQLBenignStatement(sql: "select pg_read_file_count from t", mustNotDetect: .function("pg_read_file_count")),
        SQLBenignStatement(sql: "select 1 -- pg_read_file('x')", mustNotDetect: .function("pg_read_file")),
        SQLBenignStatement(
            sql: "select * from t where a = 'set_config(''search_path'', ''x'', false)'",
            mustNotDetect: .statementClass("set_search_path")),
        SQLBenignStatement(
            sql: "select set_config('application_name', 'x', false)", mustNotDetect: .statementClass("set_search_path")),
        SQLBenignStatement(
            sql: "SET application_name = 'search_path'", mustNotDetect: .statementClass("set_search_path")),
        SQLBenignStatement(
            sql: "CREATE FUNCTION f() RETURNS void SET search_path = pg_catalog AS 'select 1' LANGUAGE sql",
            mustNotDetect: .statementClass("set_search_path")),
        SQLBenignStatement(sql: "select * from t where x is distinct from y", mustNotDetect: .table("y")),
        SQLBenignStatement(sql: "insert into t (a, b) values (1, 2)", mustNotDetect: .function("t")),
        SQLBenignStatement(
            sql: "create table t (n numeric(10, 2), v varchar(20))", mustNotDetect: .function("numeric")),
        SQLBenignStatement(sql: "select * from generate_series(1, 3) g(n)", mustNotDetect: .function("g")),
        SQLBenignStatement(sql: "DO_NOT_DROP", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: #"select 'C:\temp', 'a\' as x"#, mustNotDetect: .opaqueOrProblem),
        // Issue 15: what must stay allowed next to the new classes.
        SQLBenignStatement(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'",
            mustNotDetect: .statementClass("define_routine")),
        SQLBenignStatement(
            sql: "create or replace function f(a int) returns int as $$ select a + 1 $$ language sql immutable",
            mustNotDetect: .statementClass("define_routine")),
        SQLBenignStatement(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
            mustNotDetect: .statementClass("define_routine")),
        SQLBenignStatement(
            sql: "comment on function f() is 'language plpgsql trigger'",
            mustNotDetect: .statementClass("define_routine")),
        SQLBenignStatement(
            sql: "SET application_name = 'set client_encoding sjis'",
            mustNotDetect: .statementClass("set_client_encoding")),
        SQLBenignStatement(
            sql: "select set_config('application_name', 'sjis', false)",
            mustNotDetect: .statementClass("set_client_encoding")),
        SQLBenignStatement(sql: "select 'SET ROLE admin'", mustNotDetect: .statementClass("set_role")),
        SQLBenignStatement(sql: "SET statement_timeout = '5s'", mustNotDetect: .statementClass("set_role")),
        SQLBenignStatement(sql: "select rename_count from renames", mustNotDetect: .statementClass("rename")),
        SQLBenignStatement(sql: "select \"rename\" from t", mustNotDetect: .statementClass("rename")),
        SQLBenignStatement(sql: "select * from pg_settings", mustNotDetect: .statementClass("set_search_path")),
        SQLBenignStatement(
            sql: "create table t (a int default 1)", mustNotDetect: .statementClass("define_routine")),
    ]
}

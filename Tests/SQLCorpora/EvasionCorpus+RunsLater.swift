/// Code that runs later: functions and procedures whose bodies build SQL at run time, triggers, event triggers,
/// rules and extensions that bind code to events, renames that swap what a name means, and calls of existing
/// functions from every place an expression can hide.
///
/// Before issue 15 the definitions were `create` alone (a function's string body was not read at all), so a policy
/// without a `create` rule let them through; renames were `alter` alone. Already caught before, and kept as proof:
/// the `BEGIN ATOMIC` body, and the calls at the end (function rules reach every call site).
extension EvasionCorpus {
    static let codeThatRunsLater: [EvasionAttempt] = [
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DROP TABLE t'; END $$",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "create or replace function f() returns void as $$ begin perform 1; end $$ language plpgsql",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'import os; return 1'",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "create function f() returns int as 'return 1' language 'plperl'",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE \"plpgsql\" AS $$ begin return 1; end $$",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE FUNCTION f(int) RETURNS int AS 'libc.so.6', 'abs' LANGUAGE C STRICT",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "create function f(int) returns int language internal as 'int4abs'",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; END $$",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "create or replace procedure p() as $b$ begin null; end $b$ language plpgsql",
            mustDetect: .statementClass("define_routine")),
        // SQL bodies are read like statements.
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'DELETE FROM t'",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "create function f() returns void language sql as $$ drop table t $$",
            mustDetect: .statementClass("drop")),
        EvasionAttempt(
            sql: "CREATE PROCEDURE p() LANGUAGE sql AS $b$ TRUNCATE payroll.salaries $b$",
            mustDetect: .table("salaries")),
        EvasionAttempt(
            sql: "create function f() returns setof pg_authid language sql as 'select * from pg_authid'",
            mustDetect: .table("pg_authid")),
        EvasionAttempt(
            sql: "create function f() returns text language sql as 'select pg_read_file(''/etc/passwd'')'",
            mustDetect: .function("pg_read_file")),
        EvasionAttempt(
            sql: "create function f() returns int language sql as 'select 1; drop table t'",
            mustDetect: .statementClass("drop")),
        EvasionAttempt(
            sql: "create function f() returns int language sql as 'select 1; do $x$ begin end $x$'",
            mustDetect: .opaqueOrProblem),
        EvasionAttempt(
            sql: "create function f() returns int language sql as 'select ''unterminated'",
            mustDetect: .opaqueOrProblem),
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS void LANGUAGE SQL BEGIN ATOMIC DELETE FROM t; END",
            mustDetect: .statementClass("delete_without_where")),
        // Bindings to events.
        EvasionAttempt(
            sql: "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "create constraint trigger trg after insert on t for each row execute procedure f()",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f()",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE OR REPLACE RULE r AS ON INSERT TO t DO ALSO DELETE FROM audit",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(sql: "CREATE EXTENSION IF NOT EXISTS plpython3u", mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "create trusted language plsample handler plsample_call_handler",
            mustDetect: .statementClass("define_routine")),
        // Functions bound to operators, aggregates and casts run when a later statement uses them: defining the
        // binding is define_routine and names the function. Got through before (`create` alone, no call seen).
        EvasionAttempt(
            sql: "CREATE OPERATOR === (FUNCTION = wipe, LEFTARG = int, RIGHTARG = int)",
            mustDetect: .function("wipe")),
        EvasionAttempt(
            sql: "create operator public.=== (procedure = public.wipe, leftarg = int, rightarg = int)",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE AGGREGATE agg(int) (SFUNC = wipe, STYPE = int)", mustDetect: .function("wipe")),
        EvasionAttempt(
            sql: "create cast (int as text) with function wipe(int)", mustDetect: .function("wipe")),
        EvasionAttempt(
            sql: "CREATE CONVERSION c FOR 'LATIN1' TO 'UTF8' FROM wipe", mustDetect: .function("wipe")),
        // Renames that swap what a name means.
        EvasionAttempt(sql: "ALTER TABLE payroll.salaries RENAME TO s2", mustDetect: .statementClass("rename")),
        EvasionAttempt(sql: "alter view v rename to salaries", mustDetect: .statementClass("rename")),
        EvasionAttempt(sql: "ALTER FUNCTION f() RENAME TO pg_read_file", mustDetect: .statementClass("rename")),
        EvasionAttempt(sql: "alter schema payroll rename to archive", mustDetect: .statementClass("rename")),
        EvasionAttempt(sql: "ALTER TABLE public.t SET SCHEMA payroll", mustDetect: .statementClass("rename")),
        EvasionAttempt(sql: "alter materialized view mv rename to t", mustDetect: .statementClass("rename")),
        // Calls of existing functions, wherever an expression can stand.
        EvasionAttempt(sql: "CALL wipe()", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "call public.wipe(1)", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "CREATE TABLE x (a int DEFAULT wipe())", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "alter table t alter column a set default wipe()", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "WITH x AS (SELECT wipe()) SELECT * FROM x", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "select * from t where a = (select wipe())", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "INSERT INTO t VALUES (wipe())", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "select * from wipe()", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "select * from t, lateral wipe(t.a)", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "CREATE INDEX i ON t ((wipe(a)))", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "create view v as select wipe()", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "select \"wipe\"()", mustDetect: .function("wipe")),
    ]
}

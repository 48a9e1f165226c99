/// Benign MySQL statements that mention something dangerous or use MySQL's own syntax: the analyser must read them
/// (not refuse them as opaque) and must not flag what they only mention.
extension FalsePositiveCorpus {
    package static let mysql: [SQLBenignStatement] = [
        SQLBenignStatement(
            sql: "SELECT 'a;b', '#', '-- x', '/*!DROP*/' FROM t", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "SELECT `drop` FROM `delete`", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "SELECT `a``b`, `;` FROM t", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(
            sql: "SELECT * FROM t WHERE note = 'DELETE FROM t'", mustNotDetect: .statementClass("delete")),
        SQLBenignStatement(sql: "SELECT 1 # DROP TABLE t", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "SELECT 1 -- DROP TABLE t", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: "SELECT 1 /* ; DROP TABLE t */", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: #"SELECT 'it\'s; DROP TABLE t'"#, mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(sql: #"SELECT "a;b" FROM t"#, mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SELECT _utf8mb4'caf\u{E9}', _binary'x', N'y'", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(
            sql: "SELECT X'41', B'1', 0x41, 0b1, @a, @@version, @@session.sql_mode, @`q`",
            mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SELECT 1 /*!40101 + 1 */", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SELECT a--1 FROM t", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SET NAMES utf8mb4", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(
            sql: "SET sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SET @a := 1, @b = 'x'", mustNotDetect: .statementClass("set_session_mode")),
        SQLBenignStatement(
            sql: "UPDATE t SET a = 1 WHERE id = 2", mustNotDetect: .statementClass("update_without_where")),
        SQLBenignStatement(
            sql: "DELETE FROM t WHERE id = 1 LIMIT 1", mustNotDetect: .statementClass("delete_without_where")),
        SQLBenignStatement(
            sql: "INSERT INTO t (note) VALUES ('drop table t; #')", mustNotDetect: .statementClass("drop")),
        SQLBenignStatement(
            sql: "SELECT COUNT(*) FROM `orders` WHERE `status` = 'shipped'", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "BEGIN; SELECT 1; COMMIT", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "SHOW TABLES", mustNotDetect: .opaqueOrProblem),
        SQLBenignStatement(sql: "USE app", mustNotDetect: .opaqueOrProblem),
    ]
}

/// Attempts against a guarded MySQL or MariaDB resource, by class. Every `sql` would do harm on a MariaDB 10.11 or
/// MySQL 8 server in some session state, or is malformed or unreadable and must be refused (`.opaqueOrProblem`).
/// Analysed with the MySQL dialect and no known session modes, as a judge does before the server reports any.
extension EvasionCorpus {
    package static let mysql: [EvasionAttempt] =
        mysqlComments + mysqlQuoting + mysqlSessionState + mysqlCodeThatRunsLater + mysqlStatements

    /// Executable and conditional comments, `#` and `-- `, case and whitespace games.
    static let mysqlComments: [EvasionAttempt] = [
        EvasionAttempt(sql: "/*!50000 DROP TABLE t*/", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "/*!DROP*/ TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "SELECT 1; /*!50700 DROP TABLE t */", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "/*M!100000 DROP TABLE t */", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "/*M!DROP TABLE t*/", mustDetect: .statementClass("drop")),
        // A MariaDB server skips /*!50700../*!99999 and MySQL skips /*M!: the WHERE may never be read.
        EvasionAttempt(
            sql: "DELETE FROM t /*!99999 WHERE id = 1 */", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "DELETE FROM t /*M! WHERE id = 1 */", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "UPDATE t SET a = 1 /*!50701 WHERE id = 1 */", mustDetect: .statementClass("update_without_where")),
        // Nothing inside an executable comment may hide the comment's end or split the text.
        EvasionAttempt(sql: "SELECT 1 /*!50000 ; DROP TABLE t */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "/*!50000 SELECT ' */ ; DROP TABLE t; -- ' */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "/*! SELECT ` */ ; DROP TABLE t; -- ` */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "/*!50000 SELECT 1 # */ ; DROP TABLE t\n */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "/*! SELECT 1 /* */ ; DROP TABLE t; /* */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "/*!50000 DROP */ /*M!100000 TABLE t */", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT /*+ BKA(' */ ; DROP TABLE t; -- ') */ 1", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT 1 /*! open executable comment; DROP TABLE t", mustDetect: .opaqueOrProblem),
        // `--` starts a comment only before a space or control character.
        EvasionAttempt(sql: "SELECT 1 --1; DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "SELECT 1--\u{0B}x\n; DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "SELECT 1 --é; DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT 1 #\n; DROP TABLE t", mustDetect: .statementClass("drop")),
        EvasionAttempt(
            sql: "SELECT 1 # a carriage return does not end it\r; DROP TABLE t\n; DELETE FROM t",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "select '#'; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select '-- '; drop table t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "select '/*'; drop table t; select '*/'", mustDetect: .statementClass("drop")),
        // Case, whitespace and lookalikes.
        EvasionAttempt(sql: "DrOp\tTaBlE\nt", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "\n\t DROP/**/TABLE/**/t", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "DR/**/OP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "DROP\u{00A0}TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "\u{FF24}\u{FF32}\u{FF2F}\u{FF30} TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT 1\u{0}; DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT 'a\u{0}'; DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT 1\\G DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT \\N; DROP TABLE t", mustDetect: .opaqueOrProblem),
    ]

    /// Backticks, backslash escapes under either NO_BACKSLASH_ESCAPES setting, ANSI_QUOTES, introducers.
    static let mysqlQuoting: [EvasionAttempt] = [
        EvasionAttempt(sql: "DROP TABLE `t`", mustDetect: .table("t")),
        EvasionAttempt(sql: "SELECT * FROM `pay``roll`", mustDetect: .table("pay`roll")),
        EvasionAttempt(sql: "select * from `db`.`salaries`", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "select * from db . salaries", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "SELECT `a;` FROM t; DROP TABLE u", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "SELECT `x` `; DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT ``; DROP TABLE t", mustDetect: .opaqueOrProblem),
        // Harmless with backslash escapes, a DROP under NO_BACKSLASH_ESCAPES (and the reverse): refused unread.
        EvasionAttempt(sql: #"SELECT 'a\'; DROP TABLE t; -- '"#, mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: #"SELECT "a\"; DROP TABLE t; -- ""#, mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: #"SELECT _binary'\'; DROP TABLE t; -- '"#, mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: #"SELECT 'a\\'; DROP TABLE t"#, mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "SELECT 'it''s'; DROP TABLE t", mustDetect: .statementClass("drop")),
        // ANSI_QUOTES makes "..." a name; either way the DROP is its own statement.
        EvasionAttempt(sql: #"SELECT "x"; DROP TABLE t"#, mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: #"SELECT "a" "b"; DROP TABLE t"#, mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: #"DELETE FROM "t""#, mustDetect: .statementClass("delete_without_where")),
        // A multibyte introducer could swallow a quote as the second byte of a character.
        EvasionAttempt(sql: "SELECT _gbk'\u{00BF}'; DROP TABLE t", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "SELECT _sjis'\u{00E9}\\' ; DROP TABLE t; -- '", mustDetect: .opaqueOrProblem),
    ]

    /// sql_mode and character set changes, which make the server lex later texts differently.
    static let mysqlSessionState: [EvasionAttempt] = [
        EvasionAttempt(sql: "SET NAMES gbk", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET NAMES 'sjis' COLLATE 'sjis_bin'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET CHARACTER SET big5", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "set charset cp932", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "set @@session.character_set_client = gb18030", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET character_set_client := @cs", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET @a = 1, NAMES gbk", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "/*!40101 SET NAMES gbk */", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "PREPARE s FROM 'SET NAMES gbk'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET sql_mode = 'ANSI_QUOTES'", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(
            sql: "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(sql: "set @@sql_mode := 'ansi'", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(
            sql: "SET @@SESSION.sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')",
            mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(sql: "SET sql_mode = @m", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(sql: "SET @@`sql_mode` = 'ORACLE'", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(sql: "SET session_track_system_variables = ''", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(
            sql: "SET STATEMENT sql_mode = 'ORACLE' FOR SELECT 1", mustDetect: .statementClass("set_session_mode")),
        EvasionAttempt(
            sql: "SET STATEMENT max_statement_time = 1 FOR DELETE FROM t",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "SET PASSWORD FOR 'root'@'localhost' = 'x'", mustDetect: .statementClass("alter")),
        EvasionAttempt(sql: "SET ROLE ALL", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "SET DEFAULT ROLE admin TO u", mustDetect: .statementClass("set_role")),
    ]

    /// Stored routines, triggers, events, prepared text and compound statements.
    static let mysqlCodeThatRunsLater: [EvasionAttempt] = [
        EvasionAttempt(
            sql: "CREATE PROCEDURE p() BEGIN DELETE FROM t; END", mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE PROCEDURE p() LANGUAGE SQL SELECT 1", mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE DEFINER=user@localhost PROCEDURE p() SELECT 1", mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE DEFINER=`root`@`%` FUNCTION f() RETURNS INT RETURN 1",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW DELETE FROM u",
            mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(
            sql: "CREATE FUNCTION sys_exec RETURNS INT SONAME 'lib_mysqludf_sys.so'",
            mustDetect: .statementClass("define_routine")),
        EvasionAttempt(sql: "CALL wipe", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "call db.wipe()", mustDetect: .function("wipe")),
        EvasionAttempt(sql: "BEGIN NOT ATOMIC DELETE FROM t; END", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "IF 1 THEN DROP TABLE t; END IF", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "DO (SELECT COUNT(*) FROM salaries)", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "DO sleep(10)", mustDetect: .function("sleep")),
        EvasionAttempt(sql: "SET @x = (SELECT authentication_string FROM mysql.user)", mustDetect: .table("user")),
        EvasionAttempt(sql: "SELECT @x := (SELECT 1 FROM salaries)", mustDetect: .table("salaries")),
        // Prepared text: judged as its literal, refused when it comes from anywhere else.
        EvasionAttempt(sql: "PREPARE s FROM @sql", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "PREPARE s FROM CONCAT('DROP', ' TABLE t')", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "PREPARE s FROM 'DROP' ' TABLE t'", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "PREPARE s FROM X'44524F50205441424C452074'", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "PREPARE s FROM 'SELECT 1; DROP TABLE t'", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "PREPARE s FROM 'DROP TABLE t'", mustDetect: .statementClass("drop")),
        EvasionAttempt(
            sql: "PREPARE s FROM _utf8mb4'DELETE FROM t'", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "PREPARE s FROM 'DELETE FROM t'; EXECUTE s", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "EXECUTE IMMEDIATE 'DROP TABLE t'", mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: "EXECUTE IMMEDIATE @q", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "EXECUTE IMMEDIATE CONCAT('DR', 'OP TABLE t')", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "DELIMITER //", mustDetect: .opaqueOrProblem),
        EvasionAttempt(sql: "BINLOG 'ZXZpbA=='", mustDetect: .opaqueOrProblem),
    ]

    /// MySQL statement shapes that read, write or administer.
    static let mysqlStatements: [EvasionAttempt] = [
        EvasionAttempt(sql: "SELECT 1; DELETE FROM t", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(sql: "select 1;\tTRUNCATE t", mustDetect: .statementClass("truncate")),
        EvasionAttempt(
            sql: "UPDATE t SET a = 1 WHERE id = 1; UPDATE u SET b = 2",
            mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(sql: "HANDLER salaries OPEN", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "HANDLER payroll.salaries READ FIRST", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "handler `salaries` open as h", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t", mustDetect: .statementClass("load")),
        EvasionAttempt(
            sql: "LOAD DATA INFILE '/var/lib/mysql-files/x' INTO TABLE t", mustDetect: .statementClass("copy_file")),
        EvasionAttempt(sql: "SELECT * FROM t INTO OUTFILE '/tmp/x'", mustDetect: .statementClass("select_into")),
        EvasionAttempt(sql: "SELECT * INTO DUMPFILE '/tmp/x' FROM t", mustDetect: .statementClass("select_into")),
        EvasionAttempt(sql: "TABLE salaries INTO OUTFILE '/tmp/x'", mustDetect: .statementClass("select_into")),
        EvasionAttempt(sql: "SELECT LOAD_FILE('/etc/passwd')", mustDetect: .function("load_file")),
        EvasionAttempt(sql: "select load_file ('/etc/passwd')", mustDetect: .function("load_file")),
        EvasionAttempt(sql: "SELECT `LOAD_FILE`('/etc/passwd')", mustDetect: .function("load_file")),
        EvasionAttempt(sql: "REPLACE INTO t VALUES (1)", mustDetect: .statementClass("delete")),
        EvasionAttempt(
            sql: "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1", mustDetect: .statementClass("update")),
        EvasionAttempt(
            sql: "UPDATE a JOIN b ON a.id = b.id SET a.x = 1", mustDetect: .statementClass("update_without_where")),
        EvasionAttempt(
            sql: "DELETE a FROM a JOIN b ON a.id = b.id", mustDetect: .statementClass("delete_without_where")),
        EvasionAttempt(
            sql: "DELETE FROM a USING a JOIN salaries b ON a.id = b.id WHERE b.x = 1", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "TABLE salaries", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "VALUES ROW(1) UNION TABLE salaries", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "WITH d AS (SELECT * FROM salaries) SELECT * FROM d", mustDetect: .table("salaries")),
        EvasionAttempt(sql: "ALTER TABLE t ADD COLUMN x INT", mustDetect: .statementClass("alter")),
        EvasionAttempt(sql: "RENAME TABLE salaries TO s2", mustDetect: .statementClass("rename")),
        EvasionAttempt(sql: "TRUNCATE salaries", mustDetect: .statementClass("truncate")),
        EvasionAttempt(sql: "GRANT ALL ON *.* TO 'u'@'%'", mustDetect: .statementClass("grant")),
        EvasionAttempt(sql: "KILL 42", mustDetect: .statementClass("kill")),
        EvasionAttempt(sql: "KILL QUERY 42", mustDetect: .statementClass("kill")),
        EvasionAttempt(sql: "SHUTDOWN", mustDetect: .statementClass("shutdown")),
        EvasionAttempt(sql: "INSTALL PLUGIN evil SONAME 'evil.so'", mustDetect: .statementClass("define_routine")),
        EvasionAttempt(sql: "install soname 'evil'", mustDetect: .statementClass("load")),
    ]
}

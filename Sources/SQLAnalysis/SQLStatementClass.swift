/// A class a statement falls into; guardrail rules name classes by their raw value, so raw values are stable.
///
/// A statement carries the class of its own verb plus the classes of everything it contains (CTEs, subqueries,
/// the statement behind `EXPLAIN`, `PREPARE`, `COPY (...)`, `CREATE TABLE ... AS`, rule actions), plus derived
/// classes that single out the dangerous shapes of a verb.
package enum SQLStatementClass: String, Sendable, CaseIterable {
    case select
    case insert
    case update
    case delete
    case merge
    case drop
    case truncate
    case alter
    case create
    case grant
    case revoke
    case copy
    case call
    case `do`
    case execute
    case prepare
    case deallocate
    case set
    case reset
    case show
    /// BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE, PREPARE TRANSACTION, XA.
    case transaction
    case lock
    case vacuum
    case analyze
    case explain
    case comment
    case refresh
    case reindex
    case cluster
    /// LISTEN and UNLISTEN.
    case listen
    case notify
    case discard
    case load
    case `import`
    case securityLabel = "security_label"
    case values
    /// The `TABLE name` shorthand for `SELECT * FROM name` (such statements are also `select`).
    case table
    /// DECLARE of a cursor (the cursor's query contributes its classes too).
    case declare
    /// FETCH and MOVE on a cursor.
    case fetch
    /// CLOSE of a cursor.
    case close
    case checkpoint
    /// REASSIGN OWNED.
    case reassign
    /// A leading verb the analyser does not know; such statements are also opaque.
    case unknown

    /// A DELETE at its own level has no WHERE, or a WHERE that is trivially true (see `SQLStatement`).
    case deleteWithoutWhere = "delete_without_where"
    /// An UPDATE at its own level has no WHERE, or a WHERE that is trivially true.
    case updateWithoutWhere = "update_without_where"
    /// COPY ... TO PROGRAM / FROM PROGRAM runs a shell command on the database host.
    case copyProgram = "copy_program"
    /// COPY ... TO 'file' / FROM 'file' reads or writes a file on the database host, as does MySQL LOAD DATA INFILE
    /// without LOCAL.
    case copyFile = "copy_file"
    /// SELECT ... INTO creates a table (PostgreSQL) or writes a file or variables (MySQL INTO OUTFILE/DUMPFILE).
    case selectInto = "select_into"
    /// The statement may change name resolution: SET [SESSION|LOCAL] search_path, SET SCHEMA, set_config() with
    /// 'search_path' or a name that is not a literal, RESET search_path, RESET ALL, DISCARD ALL, and ALTER
    /// ROLE/USER/DATABASE/SYSTEM ... SET/RESET search_path, and UPDATE pg_settings (which calls set_config).
    case setSearchPath = "set_search_path"
    /// The statement may change the session's client encoding, which decides how the server reads every later byte:
    /// SET [SESSION|LOCAL] client_encoding, SET NAMES, set_config() with 'client_encoding' or a name that is not a
    /// literal, UPDATE pg_settings, ALTER ROLE/USER/DATABASE/SYSTEM ... SET client_encoding, and a routine's
    /// `SET client_encoding` clause. The encodings named are in `SQLStatement.clientEncodings`.
    case setClientEncoding = "set_client_encoding"
    /// The statement may change the role privileges are checked against: SET [SESSION|LOCAL] ROLE, SET SESSION
    /// AUTHORIZATION, RESET ROLE, RESET SESSION AUTHORIZATION, RESET ALL, DISCARD ALL, and set_config() with
    /// 'role', 'session_authorization' or a name that is not a literal.
    case setRole = "set_role"
    /// The statement defines code that runs later, which the broker cannot judge when it runs: a function or
    /// procedure in any language but SQL (plpgsql, plpython3u, C, internal, ... can build SQL at run time),
    /// CREATE TRIGGER, CREATE EVENT TRIGGER, CREATE RULE, CREATE EXTENSION, CREATE LANGUAGE and CREATE TRANSFORM,
    /// and definitions that bind a function for later statements to call implicitly (CREATE OPERATOR, AGGREGATE,
    /// CAST, CONVERSION, ACCESS METHOD, FOREIGN DATA WRAPPER, operator classes and families, text search parsers and
    /// templates; the bound functions are listed in `functions`). SQL-language bodies are analysed instead and their
    /// classes count for the definition.
    case defineRoutine = "define_routine"
    /// The statement may change how a MySQL server lexes later text: `SET sql_mode` in any spelling (ANSI_QUOTES and
    /// NO_BACKSLASH_ESCAPES move where literals end), or session tracking, through which the broker follows the
    /// session's modes. The values set are in `SQLStatement.sqlModes`. (MySQL character set changes are
    /// `set_client_encoding`.)
    case setSessionMode = "set_session_mode"
    /// MySQL `KILL [CONNECTION|QUERY] id`: ends another session or its query.
    case kill
    /// MySQL `SHUTDOWN`: stops the server.
    case shutdown
    /// The statement renames or moves an object, which can swap what a name means (`ALTER TABLE a RENAME TO b`,
    /// `ALTER FUNCTION f SET SCHEMA s`, MySQL `RENAME TABLE`). The objects renamed are in `tables`.
    case rename
}

/// Attempts to switch the session to a client-only encoding (SJIS, BIG5, GBK, UHC, GB18030, JOHAB,
/// SHIFT_JIS_2004), in which the second byte of a character can be `\` or `'`: from then on the broker would split
/// and quote the text differently from the server. Each must be seen as `set_client_encoding` (the broker refuses
/// the client-only ones on every guarded resource, and statements whose encoding it cannot read).
///
/// Before issue 15 every one of these got through: SET was only `set`, set_config() and pg_settings only calls and
/// tables, and ALTER ROLE/DATABASE only `alter`. The standard_conforming_strings cases at the end were already
/// caught (by reading literals both ways) and stay as proof.
extension EvasionCorpus {
    static let encodings: [EvasionAttempt] = [
        EvasionAttempt(sql: "SET client_encoding = 'SJIS'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "set client_encoding to sjis", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "SET SESSION client_encoding = \"Shift_JIS\"", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET LOCAL client_encoding = 'big5'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "set \"CLIENT_ENCODING\" = 'gbk'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET client_encoding = 'S-J-I-S'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "SET NAMES 'GBK'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(sql: "set names uhc", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "select 1; set client_encoding = 'win932'; select 2",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "SELECT set_config('client_encoding', 'GB18030', false)",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "select pg_catalog.set_config('CLIENT_ENCODING', 'johab', true)",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "select set_config(n, 'sjis', false) from (values ('client_encoding')) v(n)",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "select set_config(new_value => 'sjis', setting_name => 'client_encoding', is_local => false)",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "select set_config('client_' || 'encoding', 'sjis', false)",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "with x as (select set_config('client_encoding', 'big5', false)) select * from x",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "UPDATE pg_settings SET setting = 'SJIS' WHERE name = 'client_encoding'",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "update pg_catalog.pg_settings set setting = 'windows950' where name = 'client_encoding'",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "ALTER ROLE app SET client_encoding = 'SHIFT_JIS_2004'",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "alter database app set client_encoding to 'mskanji'",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "ALTER ROLE app IN DATABASE app SET client_encoding = uhc",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "alter system set client_encoding = 'sjis'", mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET client_encoding = 'sjis' AS 'select 1'",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "alter function f() set client_encoding from current",
            mustDetect: .statementClass("set_client_encoding")),
        EvasionAttempt(
            sql: "PREPARE p AS SELECT set_config('client_encoding', 'sjis', false)",
            mustDetect: .statementClass("set_client_encoding")),

        // standard_conforming_strings: the text is read both ways, so a statement hidden in either reading shows.
        EvasionAttempt(
            sql: #"set standard_conforming_strings = off; select 'a\'; drop table t; --'"#,
            mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: #"select E'\\'; drop table t; --'"#, mustDetect: .statementClass("drop")),
        EvasionAttempt(sql: #"select '\'; drop table t; select '"#, mustDetect: .opaqueOrProblem),
        EvasionAttempt(
            sql: #"select 'x\' ; select 1; delete from t; select ''"#,
            mustDetect: .statementClass("delete_without_where")),
        // With standard_conforming_strings off the second statement is `execute wipe`, with it on a select; the
        // broker tracks prepared statements by name, so a text whose EXECUTE depends on the reading is refused.
        // Got through before: the readings were merged and the EXECUTE was never looked up.
        EvasionAttempt(sql: #"select '\' ; select ' ; execute wipe ; --'"#, mustDetect: .opaqueOrProblem),
    ]
}

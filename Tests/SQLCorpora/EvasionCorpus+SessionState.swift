/// Session state that changes what a name means or whose privileges apply: the search path in every spelling,
/// `pg_settings`, and role switches.
///
/// Before issue 15, `UPDATE pg_settings` and the role switches got through (`update` on a table, `set`/`reset`);
/// the search_path forms were already caught and stay as proof.
extension EvasionCorpus {
    static let sessionState: [EvasionAttempt] = [
        EvasionAttempt(
            sql: "UPDATE pg_settings SET setting = 'payroll' WHERE name = 'search_path'",
            mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "update pg_catalog.pg_settings set setting = 'payroll, public' where name = 'search_path'",
            mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "SET search_path = payroll, public", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "set local \"search_path\" to pg_temp", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "select set_config('search_path', 'payroll', false)", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(
            sql: "alter database app set search_path to payroll", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "SET SCHEMA 'payroll'", mustDetect: .statementClass("set_search_path")),
        EvasionAttempt(sql: "SET ROLE admin", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "set session role postgres", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "SET LOCAL ROLE dba", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "set session authorization postgres", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "RESET ROLE", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "reset session authorization", mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "select set_config('role', 'admin', false)", mustDetect: .statementClass("set_role")),
        EvasionAttempt(
            sql: "select set_config('session_authorization', 'postgres', false)",
            mustDetect: .statementClass("set_role")),
        EvasionAttempt(sql: "begin; set local role admin; commit", mustDetect: .statementClass("set_role")),
    ]
}

import PostgresWire
import Testing

@testable import Broker

/// The judge's own refusals that no rule has to ask for (client-only encodings), and the classes issue 15 added as
/// a policy meets them: code that runs later, renames and role switches.
@Suite("Guardrails: encodings, routines and session state")
struct SessionGuardrailTests {
    static func judge(_ policy: String = GuardrailPolicyTests.examplePolicy) throws -> StatementJudge {
        StatementJudge(rules: try GuardrailPolicyTests.rules(policy), dialect: .postgres)
    }

    static func refusal(_ judgement: GuardrailJudgement) -> String? {
        if case .block(let rule, _) = judgement { return rule }
        return nil
    }

    @Test(
        "a client-only encoding is refused on any guarded resource, whatever the rules name (all got through before)",
        arguments: [
            "SET client_encoding = 'SJIS'", "set client_encoding to big5", "SET NAMES 'gbk'",
            "set session client_encoding = \"Windows949\"", "select set_config('client_encoding', 'GB18030', false)",
            "select set_config(n, v, false) from (values ('client_encoding', 'sjis')) s(n, v)",
            "select set_config('client_encoding', current_setting('x.y'), false)",
            "UPDATE pg_settings SET setting = 'UTF8' WHERE name = 'client_encoding'",
            "ALTER ROLE app SET client_encoding = 'johab'", "alter database app set client_encoding = shift_jis_2004",
            "select 1; set client_encoding = 'MS-Kanji'",
        ])
    func clientOnlyEncodingRefused(_ sql: String) throws {
        var judge = try Self.judge()
        #expect(Self.refusal(judge.judge(sql)) == "client_encoding_change", "\(sql)")
    }

    @Test(
        "server-safe encodings stay allowed: every ASCII byte is a character of its own in them",
        arguments: [
            "SET client_encoding = 'UTF8'", "set client_encoding to latin1", "SET NAMES 'EUC_JP'",
            "set client_encoding = default", "RESET client_encoding",
            "select set_config('client_encoding', 'WIN1252', false)",
            "SET application_name = 'sjis'",
        ])
    func serverSafeEncodingAllowed(_ sql: String) throws {
        var judge = try Self.judge()
        #expect(judge.judge(sql) == .allow, "\(sql)")
    }

    @Test("the encoding table knows the server's aliases and spellings, and which encodings are client-only")
    func encodingNames() {
        #expect(PostgresEncoding(named: "Shift-JIS") == .sjis)
        #expect(PostgresEncoding(named: "win932")?.isClientOnly == true)
        #expect(PostgresEncoding(named: "WINDOWS950") == .big5)
        #expect(PostgresEncoding(named: "shift_jis_2004") == .shiftJIS2004)
        #expect(PostgresEncoding(named: "unicode") == .utf8)
        #expect(PostgresEncoding(named: "ISO-8859-1") == .latin1)
        #expect(PostgresEncoding(named: "euc_jis_2004")?.isClientOnly == false)
        #expect(PostgresEncoding(named: "klingon") == nil)
        let clientOnly = PostgresEncoding.allCases.filter(\.isClientOnly).map(\.rawValue).sorted()
        #expect(clientOnly == ["BIG5", "GB18030", "GBK", "JOHAB", "SHIFT_JIS_2004", "SJIS", "UHC"])
    }

    @Test("define_routine sends non-SQL routines, triggers and rules to approval; SQL bodies are judged as statements")
    func codeThatRunsLater() throws {
        var judge = try Self.judge(
            """
            guardrails:
              - match: [define_routine]
                action: require_approval
                approvers: [dba]
              - match: [delete_without_where]
                action: block
              - match: { functions: [pg_read_file] }
                action: block
            """)
        for sql in [
            "create function f() returns void language plpgsql as $$ begin execute 'select 1'; end $$",
            "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f()",
            "create rule r as on insert to x do also select 1",
        ] {
            guard case .requireApproval = judge.judge(sql) else {
                Issue.record("\(sql) must wait for approval")
                continue
            }
        }
        #expect(judge.judge("create function f() returns int language sql as 'select 1'") == .allow)
        #expect(Self.refusal(judge.judge("create function f() returns void language sql as 'delete from t'")) != nil)
        #expect(
            Self.refusal(judge.judge("create function f() returns text language sql as $$ select pg_read_file('x') $$"))
                != nil)
        #expect(
            Self.refusal(
                judge.judge("create function f() returns int language sql as 'select 1; do $x$ begin end $x$'"))
                == "opaque_statement")
    }

    @Test("an unqualified table matches a table rule in any schema; pg_settings cannot move the search path")
    func unqualifiedNames() throws {
        var judge = try Self.judge()
        #expect(judge.judge("select * from salaries") != .allow)
        // A qualified name is exact: the session's own temporary table is not payroll's.
        #expect(judge.judge("select * from pg_temp.salaries") == .allow)
        #expect(judge.judge("select * from public.other") == .allow)
        let settings = judge.judge("update pg_settings set setting = 'payroll' where name = 'search_path'")
        #expect(["search_path_change", "client_encoding_change"].contains(Self.refusal(settings)))
    }

    @Test("a text whose EXECUTE depends on how backslashes are read is refused, not merged")
    func readingDependentExecute() throws {
        var judge = try Self.judge()
        #expect(judge.judge("prepare wipe as select 1") == .allow)
        #expect(Self.refusal(judge.judge(#"select '\' ; select ' ; execute wipe ; --'"#)) == "unreadable_sql")
    }

    @Test("non-ASCII names are judged only while the server has reported UTF8 and no encoding change is in flight")
    func nonASCIINamesNeedAKnownEncoding() throws {
        let encodings = PostgresClientEncodingTracker()
        var judge = StatementJudge(
            rules: try GuardrailPolicyTests.rules(GuardrailPolicyTests.examplePolicy), dialect: .postgres,
            encodings: encodings)
        // Nothing reported yet: ASCII is read the same in every server-safe encoding, other text is not.
        #expect(judge.judge("select 1") == .allow)
        #expect(Self.refusal(judge.judge("select * from café")) == "client_encoding_unknown")
        let watch = PostgresSessionWatch(guarded: true, encodings: encodings)
        #expect(watch.check(name: "client_encoding", value: "UTF8") == nil)
        #expect(judge.judge("select * from café") == .allow)
        // A refused change never reaches the server, so it leaves the encoding known.
        #expect(Self.refusal(judge.judge("set client_encoding = 'SJIS'")) == "client_encoding_change")
        #expect(judge.judge("select * from café") == .allow)
        // LATIN1 bytes decode to other names than the server's: refused until the server reports UTF8 again.
        #expect(judge.judge("set client_encoding = 'LATIN1'; select 'é'") == .allow)
        #expect(Self.refusal(judge.judge("select 'é'")) == "client_encoding_unknown")
        _ = watch.check(name: "client_encoding", value: "LATIN1")
        #expect(Self.refusal(judge.judge("select 'é'")) == "client_encoding_unknown")
        #expect(judge.judge("set client_encoding = 'UTF8'") == .allow)
        _ = watch.check(name: "client_encoding", value: "UTF8")
        #expect(judge.judge("select 'é'") == .allow)
    }
}

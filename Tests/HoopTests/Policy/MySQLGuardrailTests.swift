import SQLAnalysis
import SQLCorpora
import Testing

@testable import Broker

/// The judge on a guarded MySQL resource: the MySQL attack corpus never gets through, benign statements do, and the
/// session's sql_mode and character set are followed the way the engine will report them.
@Suite("Guardrails: MySQL")
struct MySQLGuardrailTests {
    /// A session as the engine sets it up after a utf8mb4 handshake with default modes.
    static func modes() -> MySQLSessionModes {
        let modes = MySQLSessionModes()
        modes.characterSet(id: 45)
        modes.serverStatus(0x0002)
        return modes
    }

    static func judge(_ policy: String = GuardrailPolicyTests.examplePolicy) throws -> StatementJudge {
        StatementJudge(rules: try GuardrailPolicyTests.rules(policy), dialect: .mysql, mysqlModes: modes())
    }

    static func refusal(_ judgement: GuardrailJudgement) -> String? {
        if case .block(let rule, _) = judgement { return rule }
        return nil
    }

    @Test("no MySQL evasion attempt is allowed on a guarded resource", arguments: EvasionCorpus.mysql)
    func corpusIsRefused(_ attempt: EvasionAttempt) throws {
        // The corpus is written for a session whose sql_mode is not known yet (no OK packet seen).
        let modes = MySQLSessionModes()
        modes.characterSet(id: 45)
        var judge = StatementJudge(
            rules: try GuardrailPolicyTests.corpusPolicy(for: EvasionCorpus.mysql), dialect: .mysql, mysqlModes: modes)
        #expect(judge.judge(attempt.sql) != .allow, "\(attempt.sql.debugDescription)")
    }

    @Test("benign MySQL statements pass the example policy", arguments: FalsePositiveCorpus.mysql)
    func benignStatementsPass(_ benign: SQLBenignStatement) throws {
        var judge = try Self.judge()
        #expect(judge.judge(benign.sql) == .allow, "\(benign.sql.debugDescription)")
    }

    @Test("an unsafe or unreadable character set change is refused; utf8mb4 and latin1 are followed")
    func characterSetChanges() throws {
        var judge = try Self.judge()
        for sql in [
            "SET NAMES gbk", "SET CHARACTER SET big5", "set @@character_set_client = sjis", "SET NAMES @cs",
            "SET NAMES DEFAULT", "PREPARE s FROM 'SET NAMES cp932'",
        ] {
            #expect(Self.refusal(judge.judge(sql)) == "client_charset_change", "\(sql)")
        }
        #expect(judge.judge("SELECT * FROM caf\u{E9}") == .allow)
        #expect(judge.judge("SET NAMES latin1") == .allow)
        // In flight: ASCII text lexes alike in every allowed set, non-ASCII text waits for the server's report.
        #expect(judge.judge("SELECT 1") == .allow)
        #expect(Self.refusal(judge.judge("SELECT 'caf\u{E9}'")) == "client_charset_unknown")
        judge.mysqlModes?.characterSetReported("latin1")
        // latin1 bytes are other names than the rules spell.
        #expect(Self.refusal(judge.judge("SELECT * FROM caf\u{E9}")) == "client_charset_unknown")
        #expect(judge.judge("SET NAMES utf8mb4") == .allow)
        judge.mysqlModes?.characterSetReported("utf8mb4")
        #expect(judge.judge("SELECT * FROM caf\u{E9}") == .allow)
        // A set the server reports that the broker cannot read (a routine changed it) stops non-ASCII text.
        judge.mysqlModes?.characterSetReported("gbk")
        #expect(Self.refusal(judge.judge("SELECT 'caf\u{E9}'")) == "client_charset_unknown")
        #expect(judge.judge("SELECT 1") == .allow)
    }

    @Test("sql_mode: literal changes are followed, others refused; in flight, texts are read both ways")
    func sqlModeChanges() throws {
        var judge = try Self.judge()
        let ambiguous = #"SELECT 'a\'; DROP TABLE t; -- '"#
        // The server's status flags say backslashes escape: the text is one SELECT.
        #expect(judge.judge(ambiguous) == .allow)
        for sql in [
            "SET sql_mode = @m", "SET sql_mode = 'ORACLE'", "set @@session.sql_mode = concat(@@sql_mode, ',ANSI')",
            "SET sql_mode = 4", "SET sql_mode = DEFAULT", "SET session_track_system_variables = ''",
        ] {
            #expect(Self.refusal(judge.judge(sql)) == "sql_mode_change", "\(sql)")
        }
        #expect(judge.judge(ambiguous) == .allow, "a refused change never reached the server")
        #expect(judge.judge("SET sql_mode = 'NO_BACKSLASH_ESCAPES'") == .allow)
        // Sent, not yet reported: read both ways, and the DROP shows.
        #expect(judge.judge(ambiguous) != .allow)
        judge.mysqlModes?.sqlModeReported("NO_BACKSLASH_ESCAPES")
        judge.mysqlModes?.serverStatus(0x0002 | MySQLSessionModes.noBackslashEscapesFlag)
        guard case .requireApproval = judge.judge(ambiguous) else {
            Issue.record("under NO_BACKSLASH_ESCAPES the text drops a table")
            return
        }
        // ANSI_QUOTES makes "salaries" a table name the rules see.
        #expect(judge.judge("SET sql_mode = 'ANSI_QUOTES'") == .allow)
        judge.mysqlModes?.sqlModeReported("ANSI_QUOTES")
        judge.mysqlModes?.serverStatus(0x0002)
        #expect(judge.judge(#"SELECT * FROM "payroll"."salaries""#) != .allow)
        // A grammar the broker cannot read, reported by the server, refuses everything.
        judge.mysqlModes?.sqlModeReported("ORACLE")
        #expect(Self.refusal(judge.judge("SELECT 1")) == "unreadable_sql")
    }

    @Test("prepared text: judged as its literal, refused from a variable; DELIMITER is named as a client command")
    func preparedText() throws {
        var judge = try Self.judge()
        #expect(judge.judge("PREPARE s FROM 'SELECT 1'") == .allow)
        #expect(judge.judge("EXECUTE s") == .allow)
        #expect(judge.judge("PREPARE w FROM 'DELETE FROM t'") != .allow)
        #expect(Self.refusal(judge.judge("EXECUTE w")) == "guardrails[1]")
        #expect(Self.refusal(judge.judge("PREPARE s FROM @q")) == "opaque_statement")
        #expect(Self.refusal(judge.judge("EXECUTE IMMEDIATE @q")) == "opaque_statement")
        guard case .block(_, let reason) = judge.judge("DELIMITER //") else {
            Issue.record("DELIMITER must be refused")
            return
        }
        #expect(reason.contains("mysql client"))
    }

    @Test("db.t and backticks match table rules as schema-qualified names do")
    func qualifiedNames() throws {
        var judge = try Self.judge()
        #expect(judge.judge("SELECT * FROM `payroll`.`salaries`") != .allow)
        #expect(judge.judge("select * from payroll.salaries") != .allow)
        #expect(judge.judge("HANDLER salaries OPEN") != .allow)
        #expect(judge.judge("SELECT * FROM app.salaries") == .allow)
    }
}

import Foundation
import SQLAnalysis
import SQLCorpora
import Testing

@testable import Broker

/// The guardrail evaluator on top of the SQL analyser: the evasion corpus never gets past a policy guarding what
/// each attempt hides, the issue's example policy leaves benign statements alone, and config mistakes are caught
/// when the broker loads.
@Suite("Guardrail policy")
struct GuardrailPolicyTests {
    static let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    static func rules(_ guardrails: String, type: String = "postgres") throws -> [GuardrailRule] {
        let config = try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: https://idp.example.com
                    audience: hoop
                resources:
                  - name: pg
                    type: \(type)
                    address: 127.0.0.1:5432
                    database: app
                    username: app
                    password_env: PG
                    \(Self.indented(guardrails))
                """,
            relativeTo: base,
            checkSecrets: false
        )
        return config.resources[0].guardrails
    }

    /// `text` moved to sit under a resource: common indentation removed, then four spaces added to every line but
    /// the first (which the template indents).
    static func indented(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let margin =
            lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.enumerated().map { index, line in
            (index == 0 ? "" : "    ") + line.dropFirst(min(margin, line.count))
        }.joined(separator: "\n")
    }

    /// The issue's example policy, with its table rule naming a table: an unqualified name now matches a table rule
    /// in any schema (issue 15), so the issue's `payroll.*` would catch every unqualified table of the corpus.
    static let examplePolicy = """
            guardrails:
              - match: [drop, truncate, alter, grant, revoke]
                action: require_approval
                approvers: [dba]
              - match: [delete_without_where, update_without_where]
                action: block
              - match: { tables: [payroll.salaries] }
                action: require_approval
                approvers: [finance]
              - match: { regex: "pg_read_file|lo_export" }
                action: block
        """

    /// A policy that guards everything a corpus (by default the PostgreSQL one) tries to hide, built from the corpus
    /// itself.
    static func corpusPolicy(for corpus: [EvasionAttempt] = EvasionCorpus.attempts) throws -> [GuardrailRule] {
        var classes: Set<String> = []
        var functions: Set<String> = []
        var tables: Set<String> = []
        for attempt in corpus {
            switch attempt.mustDetect {
            case .statementClass(let name): classes.insert(name)
            case .function(let name): functions.insert(name)
            case .table(let name): tables.insert(name)
            case .opaqueOrProblem: break
            }
        }
        func list(_ items: Set<String>) -> String { items.sorted().map { "\"\($0)\"" }.joined(separator: ", ") }
        return try rules(
            """
                guardrails:
                  - name: classes
                    match: [\(list(classes))]
                    action: block
                  - name: functions
                    match: { functions: [\(list(functions))] }
                    action: require_approval
                    approvers: [dba]
                  - name: tables
                    match: { tables: [\(list(tables))] }
                    action: block
            """)
    }

    @Test("no evasion attempt in the corpus is allowed", arguments: EvasionCorpus.attempts.indices)
    func corpusIsRefused(index: Int) throws {
        var judge = StatementJudge(rules: try Self.corpusPolicy(), dialect: .postgres)
        let attempt = EvasionCorpus.attempts[index]
        #expect(judge.judge(attempt.sql) != .allow, "\(attempt.sql)")
    }

    @Test("the example policy leaves benign statements that mention dangerous words alone")
    func benignStatementsPass() throws {
        let rules = try Self.rules(Self.examplePolicy)
        // The regex rule matches its words inside literals too, by design, and text that is not a statement at
        // all is opaque; both are left out.
        let plain = FalsePositiveCorpus.benign.filter {
            !$0.sql.lowercased().contains("pg_read_file") && !$0.sql.lowercased().contains("lo_export")
                && !SQLAnalysis.analyze($0.sql, dialect: .postgres).statements.contains(where: \.opaque)
        }
        #expect(plain.count > 20)
        for benign in plain {
            var judge = StatementJudge(rules: rules, dialect: .postgres)
            #expect(judge.judge(benign.sql) == .allow, "\(benign.sql)")
        }
    }

    @Test("the strictest action wins across the statements of one text")
    func strictestWins() throws {
        var judge = StatementJudge(rules: try Self.rules(Self.examplePolicy), dialect: .postgres)
        guard case .requireApproval(_, _, let requirement) = judge.judge("select 1; drop table x") else {
            Issue.record("a drop needs approval")
            return
        }
        #expect(requirement == ApprovalRequirement(approvers: ["dba"], minApprovals: 1))
        guard case .block(let rule, _) = judge.judge("drop table x; delete from y") else {
            Issue.record("a delete without where is blocked even next to a drop")
            return
        }
        #expect(rule == "guardrails[1]")
        #expect(judge.judge("select * from payroll.salaries") != .allow)
        #expect(judge.judge("select * from public.salaries") == .allow)
        // Unqualified, the name may resolve to payroll.salaries: matched in any schema (it was read as public.).
        #expect(judge.judge("select * from salaries") != .allow)
        #expect(judge.judge("select * from \"payroll\".\"salaries\"") != .allow)
    }

    @Test("EXECUTE is judged as what this connection prepared; unknown names and opaque code are refused")
    func preparedAndOpaque() throws {
        var judge = StatementJudge(rules: try Self.rules(Self.examplePolicy), dialect: .postgres)
        #expect(judge.judge("prepare wipe as delete from t") != .allow)
        guard case .block = judge.judge("execute wipe") else {
            Issue.record("EXECUTE of a prepared unfiltered delete must be blocked")
            return
        }
        #expect(judge.judge("prepare fine as select 1") == .allow)
        #expect(judge.judge("execute fine") == .allow)
        #expect(judge.judge("deallocate fine") == .allow)
        guard case .block(let rule, _) = judge.judge("execute fine") else {
            Issue.record("after DEALLOCATE the name is unknown")
            return
        }
        #expect(rule == "unknown_prepared_statement")
        guard case .block(let opaque, _) = judge.judge("do $$ begin execute 'drop table t'; end $$") else {
            Issue.record("DO is opaque")
            return
        }
        #expect(opaque == "opaque_statement")
        guard case .block(let unreadable, _) = judge.judge("select 'unterminated") else {
            Issue.record("unreadable SQL is refused")
            return
        }
        #expect(unreadable == "unreadable_sql")
        guard case .block(let path, _) = judge.judge("set search_path = payroll") else {
            Issue.record("a search path change is refused where table rules exist")
            return
        }
        #expect(path == "search_path_change")
    }

    @Test("an unguarded resource allows everything without analysing it")
    func unguarded() throws {
        var judge = StatementJudge(rules: [], dialect: .postgres)
        #expect(!judge.isGuarded)
        #expect(judge.judge("drop table t; select 'unterminated") == .allow)
    }

    @Test("config mistakes in guardrails name their path")
    func configErrors() throws {
        let cases: [(String, String)] = [
            ("guardrails:\n      - match: [dorp]\n        action: block", "unknown statement class 'dorp'"),
            ("guardrails:\n      - match: [drop]\n        action: allow", "expected block or require_approval"),
            ("guardrails:\n      - match: [drop]\n        action: require_approval", "name at least one approver"),
            (
                "guardrails:\n      - match: [drop]\n        action: block\n        approvers: [dba]",
                "only require_approval takes approvers"
            ),
            ("guardrails:\n      - match: { regex: \"(unclosed\" }\n        action: block", "is not a valid pattern"),
            ("guardrails:\n      - match: { colour: red }\n        action: block", "unknown key"),
            ("guardrails:\n      - match: {}\n        action: block", "matches nothing"),
            ("session_approval: { approvers: [dba], min_approvals: 0 }", "must be at least 1"),
        ]
        for (yaml, message) in cases {
            #expect {
                _ = try Self.rules(yaml)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
        #expect {
            _ = try Self.rules("guardrails:\n      - match: [drop]\n        action: block", type: "tcp")
        } throws: { error in
            "\(error)".contains("guardrails need a protocol engine")
        }
    }
}

import Foundation
import HoopCore
import Testing

@testable import Broker
@testable import PostgresWire

/// Guardrails and just-in-time approvals against a real PostgreSQL: an agent's risky statement waits for a named
/// human, runs once approved, and every step is in the audit chain; denials, self-approval, changed statements,
/// blocked statements and session approvals behave as promised.
@Suite("End to end: guardrails and approvals", .serialized)
struct ApprovalsEndToEndTests {
    static func resources(pgPort: Int) -> String {
        """
          - name: pg-guarded
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents, dba]
            guardrails:
              - name: ddl
                match: [drop, truncate, alter, grant, revoke]
                action: require_approval
                approvers: [dba]
              - name: unfiltered-writes
                match: [delete_without_where, update_without_where]
                action: block
              - name: payroll
                # A named table: unqualified names match table rules in any schema, so `payroll.*` would hold
                # every statement on `t` below.
                match: { tables: [payroll.salaries] }
                action: require_approval
                approvers: [finance]
              - name: file-access
                match: { regex: "pg_read_file|lo_export" }
                action: block
          - name: pg-gated
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents]
            session_approval: { approvers: [dba], min_approvals: 2 }
        """
    }

    /// The people in these tests: an agent, two DBAs (bob also in finance), and someone who is both agent and DBA.
    struct Cast {
        var agent: ClientCLI
        var alice: ClientCLI
        var bob: ClientCLI
        var both: ClientCLI
    }

    static func withStack(
        _ body: (PostgresServer, BrokerProcess, WebhookSink, Cast) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let sink = try await WebhookSink(failFirst: 1)
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: resources(pgPort: pg.port),
                    extraYAML: """
                        approvals:
                          timeout: 2m
                          notify:
                            - group: dba
                              url: \(sink.url)
                        """,
                    environment: ["PG_PASSWORD": PostgresServer.password]
                )
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    var people: [ClientCLI] = []
                    for (id, groups) in [
                        ("ci-agent", ["agents"]), ("alice", ["dba"]), ("bob", ["dba", "finance"]),
                        ("both", ["agents", "dba"]),
                    ] {
                        if id != "ci-agent" {
                            try await idp.addClient(
                                id, secret: "\(id)-secret", groups: groups, subject: id, email: "\(id)@example.com")
                        }
                        people.append(
                            try await ClientCLI.loggedIn(broker, name: id, clientID: id, secret: "\(id)-secret"))
                    }
                    try await body(
                        pg, broker, sink, Cast(agent: people[0], alice: people[1], bob: people[2], both: people[3]))
                } alsoStop: {
                    await sink.stop()
                }
            }
        }
    }

    static func approvalID(in text: String) throws -> Int64 {
        guard let match = text.firstMatch(of: /approval (\d+)/), let id = Int64(match.1) else {
            throw PeerError("no approval id in: \(text)")
        }
        return id
    }

    static func tableExists(_ pg: PostgresServer, _ name: String) async throws -> Bool {
        let result = try await PostgresServer.psql(port: pg.port, ["-c", "select to_regclass('\(name)') is not null"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t"
    }

    @Test("an agent's DROP TABLE waits, an approver approves from another shell, it runs, and the chain holds it all")
    func approvedDrop() async throws {
        try await Self.withStack { pg, broker, sink, cast in
            _ = try await PostgresServer.psql(port: pg.port, ["-c", "create table doomed (id int)"])
            let exec = try cast.agent.spawn(["exec", "pg-guarded", "--reason", "cleanup", "--", "DROP TABLE doomed"])
            let waiting = try await exec.waitForOutput("waiting for approval")
            let id = try Self.approvalID(in: waiting)
            #expect(waiting.contains("hoopctl approvals approve \(id)"))
            #expect(try await Self.tableExists(pg, "doomed"), "nothing runs before approval")

            let listed = try await cast.alice.run(["approvals", "list", "--output", "json"])
            #expect(listed.status == 0)
            #expect(listed.stdout.contains("\"statement\":\"DROP TABLE doomed\""))
            let approve = try await cast.alice.run(["approvals", "approve", String(id), "--reason", "ticket 7"])
            #expect(approve.status == 0, "\(approve.stderr)")
            #expect(approve.stdout.contains("approved"))
            #expect(try await exec.waitForExit() == 0, "\(exec.stderr)")
            #expect(try await !Self.tableExists(pg, "doomed"))

            let webhook = try await sink.waitFor(event: "approval.requested", approval: id)
            #expect((webhook["text"] as? String)?.contains("hoopctl approvals approve \(id)") == true)
            _ = try await sink.waitFor(event: "approval.approved", approval: id)
            #expect(try await sink.received().attempts >= 3, "the first delivery failed and was retried")

            let events = try await Evidence.auditEvents(broker)
            #expect(AuditLeafVerifier.verify(events) == nil)
            let mine = events.filter { $0.details["approval"] == .int(id) }
            #expect(mine.map(\.action) == ["approval.request", "approval.approve", "approval.use"])
            #expect(mine.first?.details["statement"] == "DROP TABLE doomed")
            #expect(mine.first?.details["reason"] == "cleanup")
            #expect(mine[1].actor == "alice@example.com")
            let session = try #require(mine.last?.session)
            let recording = try Evidence.recording(broker, session: session)
            #expect(recording.contains { $0.kind == .result && $0.details["tag"] == "DROP TABLE" })
        }
    }

    @Test("a denial refuses the statement with the approver's reason; self-approval is refused")
    func denialAndSelfApproval() async throws {
        try await Self.withStack { pg, broker, _, cast in
            _ = try await PostgresServer.psql(port: pg.port, ["-c", "create table kept (id int)"])
            let exec = try cast.agent.spawn(["exec", "pg-guarded", "--", "DROP TABLE kept"])
            let id = try Self.approvalID(in: try await exec.waitForOutput("waiting for approval"))
            let noReason = try await cast.alice.run(["approvals", "deny", String(id), "--reason", ""])
            #expect(noReason.status != 0)
            let deny = try await cast.alice.run(["approvals", "deny", String(id), "--reason", "not during the freeze"])
            #expect(deny.status == 0, "\(deny.stderr)")
            #expect(try await exec.waitForExit() == 3)
            #expect(exec.stderr.contains("denied by alice@example.com: not during the freeze"))
            #expect(try await Self.tableExists(pg, "kept"))

            let mine = try await cast.both.run(
                ["exec", "pg-guarded", "--no-wait", "--output", "json", "--", "DROP TABLE kept"])
            #expect(mine.status == 4)
            let pending = try Self.approvalID(in: mine.stderr)
            #expect(mine.stdout.contains("\"approval\":\(pending)"))
            let selfApproval = try await cast.both.run(["approvals", "approve", String(pending)])
            #expect(selfApproval.status == 3)
            #expect(selfApproval.stderr.contains("cannot decide it"))
            let outsider = try await cast.agent.run(["approvals", "approve", String(pending)])
            #expect(outsider.status != 0)
            #expect(try await Self.tableExists(pg, "kept"))

            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.action == "approval.deny" && $0.details["approval"] == .int(id) })
            #expect(AuditLeafVerifier.verify(events) == nil)
        }
    }

    @Test("an approval covers exactly its statement, once; --no-wait exits 4 and --approval resumes")
    func approvalBindsToTheStatement() async throws {
        try await Self.withStack { pg, _, _, cast in
            _ = try await PostgresServer.psql(
                port: pg.port, ["-c", "create table a (id int); create table b (id int)"])
            let first = try await cast.agent.run(["exec", "pg-guarded", "--no-wait", "--", "DROP TABLE a"])
            #expect(first.status == 4, "\(first.stderr)")
            let id = try Self.approvalID(in: first.stderr)
            #expect(try await cast.bob.run(["approvals", "approve", String(id)]).status == 0)

            let other = try await cast.agent.run(["exec", "pg-guarded", "--approval", String(id), "--", "DROP TABLE b"])
            #expect(other.status == 3)
            #expect(other.stderr.contains("covers a different statement"))
            #expect(try await Self.tableExists(pg, "b"))

            let same = try await cast.agent.run(["exec", "pg-guarded", "--approval", String(id), "--", "DROP TABLE a"])
            #expect(same.status == 0, "\(same.stderr)")
            #expect(try await !Self.tableExists(pg, "a"))

            _ = try await PostgresServer.psql(port: pg.port, ["-c", "create table a (id int)"])
            let again = try await cast.agent.run(["exec", "pg-guarded", "--approval", String(id), "--", "DROP TABLE a"])
            #expect(again.status == 3, "an approval is used once")
            #expect(try await Self.tableExists(pg, "a"))
        }
    }

    @Test("an approved extended-protocol statement runs once: no second Bind, no second Execute")
    func approvedParseRunsOnce() async throws {
        try await Self.withStack { pg, _, _, cast in
            _ = try await PostgresServer.psql(
                port: pg.port, ["-c", "create schema payroll; create table payroll.salaries (v int)"])
            let (connect, port, _) = try await cast.agent.connect("pg-guarded")
            let client = try RawPostgresClient(port: port)
            try client.login(password: try Self.password(connect))

            /// Parses `name` (held for approval), has bob approve it, and reads up to ReadyForQuery.
            func approvedParse(_ name: String) async throws {
                try client.send(
                    .parse(
                        .init(
                            name: name, query: "insert into payroll.salaries values (1)",
                            parameterTypeOIDs: [])))
                try client.send(.sync)
                guard case .noticeResponse(let notice)? = try client.receive() else {
                    throw PeerError("the Parse must be held with a notice")
                }
                let id = try Self.approvalID(in: notice.message ?? "")
                #expect(try await cast.bob.run(["approvals", "approve", String(id)]).status == 0)
                let answers = try client.receiveUntilReady()
                #expect(answers.contains { if case .parseComplete = $0 { true } else { false } })
            }
            func bindAndExecute(_ statement: String, portal: String = "", executes: Int = 1) throws
                -> [PostgresBackendMessage]
            {
                try client.send(
                    .bind(
                        .init(
                            portal: portal, statement: statement, parameterFormats: [], parameters: [],
                            resultFormats: [])))
                for _ in 0..<executes { try client.send(.execute(portal: portal, maxRows: 0)) }
                try client.send(.sync)
                return try client.receiveUntilReady()
            }
            func refusal(in answers: [PostgresBackendMessage]) -> String? {
                answers.lazy.compactMap { if case .errorResponse(let error) = $0 { error.message } else { nil } }.first
            }

            // Bound twice: the approval covers the first only.
            try await approvedParse("ins")
            #expect(refusal(in: try bindAndExecute("ins")) == nil)
            let second = try bindAndExecute("ins")
            #expect(refusal(in: second)?.contains("covers one execution") == true, "\(second)")
            // One portal executed twice: the second Execute is refused.
            try await approvedParse("ins2")
            let twice = try bindAndExecute("ins2", portal: "p", executes: 2)
            #expect(refusal(in: twice)?.contains("already executed once") == true, "\(twice)")

            let rows = try await PostgresServer.psql(port: pg.port, ["-c", "select count(*) from payroll.salaries"])
            // The refused Execute aborts its batch's implicit transaction, so only the first approval's row stays.
            #expect(rows.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "one run per approval at most")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("blocked statements never run, even inside a transaction, and the transaction is aborted as PostgreSQL would")
    func blockedStatements() async throws {
        try await Self.withStack { pg, broker, _, cast in
            _ = try await PostgresServer.psql(
                port: pg.port, ["-c", "create table t (id int); insert into t values (1)"])
            let delete = try await cast.agent.run(["exec", "pg-guarded", "--", "delete from t"])
            #expect(delete.status == 3)
            #expect(delete.stderr.contains("blocked by guardrail 'unfiltered-writes'"))
            let file = try await cast.agent.run([
                "exec", "pg-guarded", "--", "select pg_catalog.PG_READ_FILE('/etc/passwd')",
            ])
            #expect(file.status == 3)
            #expect(file.stderr.contains("file-access"))

            let padding = String(repeating: "x", count: 100_000)
            let large = try await cast.agent.run(["exec", "pg-guarded", "--", "select '\(padding)'; delete from t"])
            #expect(large.status == 3, "a statement too long to judge inline is judged off the event loop")

            let batch = try await cast.agent.run([
                "exec", "pg-guarded", "--output", "json", "--",
                "begin; insert into t values (2); delete from t; commit",
            ])
            #expect(batch.status == 3)
            let count = try await PostgresServer.psql(port: pg.port, ["-c", "select count(*) from t"])
            #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")

            let (connect, port, session) = try await cast.agent.connect("pg-guarded")
            let password = try Self.password(connect)
            let psql = try await ChildProcess.run(
                "/usr/bin/psql",
                [
                    "-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-A", "-t",
                    "-c", "begin", "-c", "insert into t values (3)", "-c", "update t set id = 0",
                    "-c", "select count(*) from t", "-c", "rollback",
                ],
                environment: ["PGPASSWORD": password, "PGSSLMODE": "disable"]
            )
            #expect(psql.stderr.contains("blocked by guardrail 'unfiltered-writes'"))
            #expect(psql.stderr.contains("current transaction is aborted"))

            // The extended protocol (Parse/Bind/Execute, unnamed and named statements) is judged at Parse.
            let script = broker.directory.appendingPathComponent("delete.sql")
            try "delete from t;\n".write(to: script, atomically: true, encoding: .utf8)
            for mode in ["extended", "prepared"] {
                let bench = try await ChildProcess.run(
                    "/usr/lib/postgresql/15/bin/pgbench",
                    [
                        "-n", "-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-M", mode, "-t", "1", "-f",
                        script.path, "testdb",
                    ],
                    environment: ["PGPASSWORD": password, "PGSSLMODE": "disable"]
                )
                #expect(bench.status != 0, "pgbench -M \(mode) must fail")
                #expect((bench.stdout + bench.stderr).contains("blocked by guardrail"), "\(mode): \(bench.stderr)")
            }
            let sidestep = try await ChildProcess.run(
                "/usr/bin/psql",
                ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-c", "select 1"],
                environment: ["PGPASSWORD": password, "PGSSLMODE": "disable", "PGOPTIONS": "-c search_path=payroll"]
            )
            #expect(sidestep.status != 0)
            #expect(sidestep.stderr.contains("may not set search_path"))
            let left = try await PostgresServer.psql(port: pg.port, ["-c", "select count(*) > 0 from t"])
            #expect(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t", "nothing was deleted")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            #expect(
                try await PostgresServer.psql(port: pg.port, ["-c", "select count(*) from t where id = 0"])
                    .stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")

            let events = try await Evidence.auditEvents(broker)
            #expect(events.filter { $0.action == "statement.block" }.count >= 4)
            _ = try await cast.agent.run(["sessions", "revoke", session])
            let recording = try Evidence.recording(broker, session: session)
            #expect(recording.contains { $0.details["policy"] == "block" && $0.details["rule"] == "unfiltered-writes" })
        }
    }

    @Test("inside psql a held statement shows a notice and runs once approved; sessions can need two approvals")
    func psqlAndSessionApproval() async throws {
        try await Self.withStack { pg, _, _, cast in
            _ = try await PostgresServer.psql(
                port: pg.port, ["-c", "create schema payroll; create table payroll.salaries (v int)"])
            let (connect, port, _) = try await cast.agent.connect("pg-guarded")
            let password = try Self.password(connect)
            let psql = try ChildProcess(
                "psql", executable: "/usr/bin/psql",
                arguments: [
                    "-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-A", "-t",
                    "-c", "select count(*) from payroll.salaries",
                ],
                environment: ["PGPASSWORD": password, "PGSSLMODE": "disable"]
            )
            let notice = try await psql.waitForOutput("held for approval")
            let id = try Self.approvalID(in: notice)
            let wrongGroup = try await cast.alice.run(["approvals", "approve", String(id)])
            #expect(wrongGroup.status == 3, "payroll needs finance, not dba")
            let hidden = try await cast.both.run(["approvals", "show", String(id), "--output", "json"])
            #expect(hidden.status != 0, "neither requester nor approver nor admin may see it")
            #expect(try await cast.bob.run(["approvals", "approve", String(id)]).status == 0)
            #expect(try await psql.waitForExit() == 0, "\(psql.stderr)")
            #expect(psql.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()

            let gated = try cast.agent.spawn(["connect", "pg-gated", "--port", "0", "--output", "json"])
            let sessionID = try Self.approvalID(in: try await gated.waitForOutput("waiting for approval"))
            #expect(try await cast.alice.run(["approvals", "approve", String(sessionID)]).status == 0)
            let show = try await cast.alice.run(["approvals", "show", String(sessionID)])
            #expect(show.stdout.contains("pending"), "two approvals are needed")
            #expect(try await cast.alice.run(["approvals", "approve", String(sessionID)]).status != 0, "once each")
            #expect(try await cast.bob.run(["approvals", "approve", String(sessionID)]).status == 0)
            try await gated.waitForOutput("\"port\"")
            gated.signal(SIGINT)
            _ = try await gated.waitForExit()
        }
    }

    static func password(_ connect: ChildProcess) throws -> String {
        let line = connect.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let password = object["password"] as? String
        else {
            throw PeerError("no password in connect output: \(connect.stdout)")
        }
        return password
    }
}

import Foundation
import HoopCore
import Testing

@testable import Broker

/// A statement held for approval belongs to the client that sent it. A requester who walks away (kills psql,
/// presses Ctrl-C, or cancels the request) must not find it run later because an approver said yes meanwhile:
/// the request is withdrawn, audited as such, and the statement never reaches the target.
@Suite("CLI: a held statement does not outlive its client", .serialized)
struct AbandonedStatementTests {
    /// `hoopctl connect pg-guarded` and the per-session login it prints.
    static func connect(_ stack: FirstHourStack) async throws -> (process: ChildProcess, port: Int, password: String) {
        let (process, port, _) = try await stack.agent.connect("pg-guarded")
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"password\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let password = object["password"] as? String
        else {
            throw PeerError("no password in connect output: \(process.stdout)")
        }
        return (process, port, password)
    }

    /// psql through the local tunnel, running `sql` and then waiting for it.
    static func psql(port: Int, password: String, _ sql: String) throws -> ChildProcess {
        try ChildProcess(
            "psql",
            executable: "/usr/bin/psql",
            arguments: ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-c", sql],
            environment: ["PGPASSWORD": password, "PGSSLMODE": "disable", "PGCONNECT_TIMEOUT": "10"]
        )
    }

    /// The id of the pending request for `statement`, as an approver lists it, once it exists.
    static func pendingRequest(for statement: String, _ approver: ClientCLI) async throws -> Int64 {
        for _ in 0..<200 {
            let list = try await approver.run(["approvals", "list", "--status", "pending", "--output", "json"])
            let requests = try JSONDecoder().decode([ApprovalInfoProbe].self, from: Data(list.stdout.utf8))
            if let request = requests.first(where: { $0.statement == statement }) { return request.id }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError("no pending request for \(statement)")
    }

    /// The request's status as its approver sees it, once it is no longer `pending` (or after 20 s).
    static func settledStatus(_ id: Int64, _ viewer: ClientCLI) async throws -> String {
        var status = "pending"
        for _ in 0..<200 where status == "pending" {
            let show = try await viewer.run(["approvals", "show", String(id), "--output", "json"])
            status = try JSONDecoder().decode(ApprovalInfoProbe.self, from: Data(show.stdout.utf8)).status
            if status == "pending" { try await Task.sleep(for: .milliseconds(100)) }
        }
        return status
    }

    /// The audit chain's withdrawal of `id`, checking the chain holds.
    static func withdrawal(_ id: Int64, _ stack: FirstHourStack) async throws -> AuditEvent? {
        let events = try await Evidence.auditEvents(stack.broker)
        #expect(AuditLeafVerifier.verify(events) == nil)
        #expect(!events.contains { $0.kind == .approvalUse && $0.approvalID == id }, "approval \(id) was never spent")
        return events.first { $0.kind == .approvalWithdraw && $0.approvalID == id }
    }

    @Test("psql killed while its DROP waits: the request is withdrawn, approving fails, and the table stays")
    func killedClient() async throws {
        try await FirstHourStack.with { stack in
            _ = try await PostgresServer.psql(port: stack.pg.port, ["-c", "create table doomed (id int)"])
            let (connect, port, password) = try await Self.connect(stack)
            let psql = try Self.psql(port: port, password: password, "DROP TABLE doomed")
            let id = try await Self.pendingRequest(for: "DROP TABLE doomed", stack.alice)

            psql.signal(SIGKILL)
            _ = try await psql.waitForExit()
            #expect(try await Self.settledStatus(id, stack.alice) == "withdrawn")
            // The approver did not get the news in time and says yes anyway.
            let approve = try await stack.alice.run(["approvals", "approve", String(id)])
            #expect(approve.status != 0, "a withdrawn request cannot be approved: \(approve.stdout)")
            #expect(approve.stderr.contains("withdrawn"), "\(approve.stderr)")
            try await Task.sleep(for: .seconds(1))
            #expect(try await stack.tableExists("doomed"), "the abandoned DROP never ran")

            let withdrawn = try #require(try await Self.withdrawal(id, stack))
            #expect(withdrawn.details["why"] == "client_left")
            #expect(withdrawn.details["statement"] == "DROP TABLE doomed")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("Ctrl-C in psql (a CancelRequest) withdraws the held statement; the connection goes on")
    func cancelRequest() async throws {
        try await FirstHourStack.with { stack in
            _ = try await PostgresServer.psql(port: stack.pg.port, ["-c", "create table kept (id int)"])
            let (connect, port, password) = try await Self.connect(stack)
            let psql = try Self.psql(port: port, password: password, "DROP TABLE kept")
            let id = try await Self.pendingRequest(for: "DROP TABLE kept", stack.alice)

            psql.signal(SIGINT)  // psql sends a CancelRequest on a new connection and waits for the answer
            #expect(try await psql.waitForExit(timeout: .seconds(20)) != 0)
            #expect(psql.stderr.contains("approval \(id) was withdrawn"), "\(psql.stderr)")
            #expect(try await Self.settledStatus(id, stack.alice) == "withdrawn")
            #expect(try await stack.alice.run(["approvals", "approve", String(id)]).status != 0)
            try await Task.sleep(for: .seconds(1))
            #expect(try await stack.tableExists("kept"))
            let withdrawn = try #require(try await Self.withdrawal(id, stack))
            #expect(withdrawn.details["why"] == "client_cancelled")

            // The same tunnel still serves the next statement.
            let next = try await PostgresServer.psqlThroughTunnel(port: port, password: password, "select 41 + 1")
            #expect(next.stdout.contains("42"), "\(next.stderr)")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("the requester cancels with `hoopctl approvals cancel`; nobody else can, and the statement never runs")
    func requesterCancels() async throws {
        try await FirstHourStack.with { stack in
            _ = try await PostgresServer.psql(port: stack.pg.port, ["-c", "create table spared (id int)"])
            let exec = try stack.agent.spawn(["exec", "pg-guarded", "--", "DROP TABLE spared"])
            let id = try FirstHourStack.approvalID(in: try await exec.waitForOutput("waiting for approval"))

            let outsider = try await stack.alice.run(["approvals", "cancel", String(id)])
            #expect(outsider.status == 3, "only the requester cancels: \(outsider.stderr)")
            #expect(outsider.stderr.contains("only they can cancel it"))

            let cancel = try await stack.agent.run(["approvals", "cancel", String(id), "--output", "json"])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(cancel.stdout.contains("\"status\":\"withdrawn\""))
            #expect(try await exec.waitForExit() == 3, "the waiting exec is refused")
            #expect(exec.stderr.contains("approval \(id) was withdrawn"), "\(exec.stderr)")
            #expect(try await stack.alice.run(["approvals", "approve", String(id)]).status != 0)
            #expect(try await stack.tableExists("spared"))
            let withdrawn = try #require(try await Self.withdrawal(id, stack))
            #expect(withdrawn.details["why"] == "requester_cancelled")
            #expect(withdrawn.actor == "ci-agent")
        }
    }
}

/// The fields of `ApprovalInfo` these tests read.
private struct ApprovalInfoProbe: Decodable {
    var id: Int64
    var status: String
    var statement: String?
}

extension PostgresServer {
    /// One psql run through a `hoopctl connect` tunnel, as the session's `hoop` user.
    static func psqlThroughTunnel(port: Int, password: String, _ sql: String) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(
            "/usr/bin/psql",
            ["-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-q", "-A", "-t", "-c", sql],
            environment: ["PGPASSWORD": password, "PGSSLMODE": "disable", "PGCONNECT_TIMEOUT": "10"]
        )
    }
}

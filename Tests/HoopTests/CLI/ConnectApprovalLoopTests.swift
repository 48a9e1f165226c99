import Foundation
import HoopCore
import Testing

/// The loop `connect --no-wait` promises a script: exit 4 naming the request, rerun with `--approval ID` to pick
/// the same request up (still 4 while pending, no new request for the approvers), and connect once approved.
@Suite("CLI: connect --no-wait and --approval", .serialized)
struct ConnectApprovalLoopTests {
    /// How many requests for sessions on `resource` the approvers see, whatever their state.
    static func sessionRequests(_ stack: FirstHourStack, _ resource: String) async throws -> Int {
        let list = try await stack.alice.run(["approvals", "list", "--all", "--output", "json"])
        let requests = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        return requests.filter { $0["kind"] as? String == "session" && $0["resource"] as? String == resource }.count
    }

    @Test("--no-wait exits 4 with a hint that works: --approval resumes the same request, then connects")
    func noWaitLoop() async throws {
        try await FirstHourStack.with { stack in
            let first = try await stack.agent.run(["connect", "pg-gated", "--port", "0", "--no-wait"])
            #expect(first.status == 4, "\(first.stderr)")
            let id = try FirstHourStack.approvalID(in: first.stderr)
            #expect(first.stderr.contains("run again with --approval \(id)"), "\(first.stderr)")

            let rerun = try await stack.agent.run(
                ["connect", "pg-gated", "--port", "0", "--no-wait", "--approval", String(id), "--output", "json"])
            #expect(rerun.status == 4, "still pending: \(rerun.stderr)")
            #expect(try FirstHourStack.approvalID(in: rerun.stderr) == id, "the same request, resumed")
            #expect(rerun.stdout.contains("\"approval\":\(id)"))
            #expect(try await Self.sessionRequests(stack, "pg-gated") == 1, "no new request for the approvers")

            let approve = try await stack.alice.run(["approvals", "approve", String(id)])
            #expect(approve.status == 0, "\(approve.stderr)")
            let (connect, port, session) = try await stack.agent.connect(
                "pg-gated", extra: ["--no-wait", "--approval", String(id)])
            #expect(session.hasPrefix("ses_"))
            let password = try #require(
                connect.stdout.firstMatch(of: /"password":"([^"]+)"/).map { String($0.1) })
            let query = try await PostgresServer.psqlThroughTunnel(port: port, password: password, "select 6 * 7")
            #expect(query.stdout.contains("42"), "\(query.stderr)")
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
            #expect(try await Self.sessionRequests(stack, "pg-gated") == 1)

            // Spent: the same id opens nothing more.
            let reused = try await stack.agent.run(
                ["connect", "pg-gated", "--port", "0", "--no-wait", "--approval", String(id)])
            #expect(reused.status == 3, "an approval opens one session: \(reused.stderr)")
            #expect(reused.stderr.contains("approval \(id) is used"), "\(reused.stderr)")
        }
    }

    @Test("--approval naming another kind of request or resource is a usage error, not a new request")
    func wrongRequest() async throws {
        try await FirstHourStack.with { stack in
            let statement = try await stack.agent.run(
                ["exec", "pg-guarded", "--no-wait", "--", "DROP TABLE IF EXISTS nothing_here"])
            #expect(statement.status == 4, "\(statement.stderr)")
            let id = try FirstHourStack.approvalID(in: statement.stderr)
            let wrong = try await stack.agent.run(
                ["connect", "pg-gated", "--port", "0", "--no-wait", "--approval", String(id)])
            #expect(wrong.status == 2, "\(wrong.stderr)")
            #expect(wrong.stderr.contains("is for a statement on pg-guarded, not a session on pg-gated"))
            #expect(try await Self.sessionRequests(stack, "pg-gated") == 0)
            let unknown = try await stack.agent.run(["connect", "pg-gated", "--port", "0", "--approval", "999999"])
            #expect(unknown.status == 1, "\(unknown.stderr)")
            #expect(unknown.stderr.contains("999999"))
        }
    }
}

import Foundation
import HoopCore
import Testing

/// `hoopctl connect` from start to Ctrl-C as a person meets it: a busy port is found before anyone is asked for
/// anything, a capped --duration is reported, and Ctrl-C ends the session unless --keep.
@Suite("CLI: the connect lifecycle", .serialized)
struct ConnectLifecycleTests {
    static func status(of session: String, _ cli: ClientCLI) async throws -> SessionStatus {
        let show = try await cli.run(["sessions", "show", session, "--output", "json"])
        return try HoopJSON.decoder().decode(SessionInfo.self, from: Data(show.stdout.utf8)).status
    }

    @Test("a busy --port fails before a session or an approval request exists")
    func busyPortFirst() async throws {
        try await FirstHourStack.with { stack in
            let busy = try await stack.agent.run(["connect", "pg-gated", "--port", String(stack.broker.port)])
            #expect(busy.status == 1, "\(busy.stderr)")
            #expect(busy.stderr.contains("cannot listen on 127.0.0.1:\(stack.broker.port): Address already in use"))
            #expect(busy.stderr.contains("no session was requested"))
            #expect(try await ConnectApprovalLoopTests.sessionRequests(stack, "pg-gated") == 0)
            let sessions = try await stack.agent.run(["sessions", "--output", "json"])
            #expect(sessions.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(sessions.stdout)")
        }
    }

    @Test("Ctrl-C ends the session by default and --keep leaves it open; a capped --duration is reported")
    func ctrlCAndKeep() async throws {
        try await FirstHourStack.with { stack in
            let (ended, _, first) = try await stack.agent.connect("pg-guarded", extra: ["--duration", "10h"])
            try await ended.waitForOutput("capped the session at 1h")
            #expect(ended.stderr.contains("asked for 10h"), "\(ended.stderr)")
            ended.signal(SIGINT)
            #expect(try await ended.waitForExit() == 0)
            #expect(ended.stderr.contains("session \(first) ended (pass --keep to leave it open)"), "\(ended.stderr)")
            #expect(try await Self.status(of: first, stack.agent) == .revoked)

            let (kept, _, second) = try await stack.agent.connect("pg-guarded", extra: ["--keep"])
            #expect(!kept.stderr.contains("capped"), "no --duration, nothing to report")
            kept.signal(SIGINT)
            #expect(try await kept.waitForExit() == 0)
            #expect(kept.stderr.contains("stays valid until"), "\(kept.stderr)")
            #expect(try await Self.status(of: second, stack.agent) == .active)
        }
    }
}

import Foundation
import HoopCore
import Testing

@testable import Broker

/// The broker killed with SIGKILL in the middle of a busy session, then restarted on the same data dir, as systemd
/// would: the client must see its connection drop, the audit chain must still verify, the session must say it was
/// interrupted, and its recording must hold — chained, readable and sealed — everything the target ran.
@Suite("Fail closed: the broker killed mid-session", .serialized)
struct FailClosedCrashTests {
    static let statements = 100_000

    @Test(
        "kill -9 mid-stream: the client sees the loss; after a restart the chain verifies and the recording holds it"
    )
    func killedDuringABusySession() async throws {
        try await FailClosedStack.with { stack in
            _ = try await stack.onTarget("create table crash_stream (n int primary key)")
            let (connect, port, session, password) = try await PostgresEndToEndTests.connect(stack.agent)
            let script = stack.broker.directory.appendingPathComponent("stream.sql")
            try (1...Self.statements).map { "insert into crash_stream values (\($0));" }.joined(separator: "\n")
                .write(to: script, atomically: true, encoding: .utf8)
            let psql = try ChildProcess(
                "psql",
                executable: "/usr/bin/psql",
                arguments: [
                    "-h", "127.0.0.1", "-p", String(port), "-U", "hoop", "-d", "testdb", "-X", "-q",
                    "-v", "ON_ERROR_STOP=1", "-f", script.path,
                ],
                environment: ["PGPASSWORD": password, "PGSSLMODE": "disable"]
            )
            try await FailClosedStack.waitUntil("the target has run 500 inserts") {
                try await Int(stack.onTarget("select count(*) from crash_stream").first ?? "") ?? 0 >= 500
            }

            #expect(try await stack.broker.kill() == 128 + SIGKILL)

            // The client is told: psql's exit status 2 means the connection went bad in a script.
            let psqlStatus = try await psql.waitForExit(timeout: .seconds(60))
            #expect(psqlStatus == 2, "\(psql.stderr)")
            #expect(psql.stderr.contains("connection to server was lost"), "\(psql.stderr)")
            connect.signal(SIGINT)
            _ = try? await connect.waitForExit(timeout: .seconds(20))
            let ran = Set(try await stack.onTarget("select n from crash_stream").compactMap { Int($0) })
            #expect(ran.count >= 500)
            #expect(ran.count < Self.statements)

            // What the killed broker left: every whole line chains; a line cut short by the kill is set aside.
            let recordingFile = stack.broker.dataDir.appendingPathComponent("recordings/\(session).jsonl")
            let crashed = try CrashedRecording(recordingFile)
            #expect(crashed.events.first?.kind == .start)
            #expect(crashed.events.last?.kind != .end)
            let recorded = try Self.insertedValues(crashed.events)
            // The recorder writes each statement before relaying it, so a kill loses none the target ran.
            #expect(
                ran.isSubset(of: recorded), "ran but not recorded: \(ran.subtracting(recorded).sorted().prefix(10))")
            #expect(recorded.count >= 500)

            let restarted = try await BrokerProcess(restarting: stack.broker, environment: FailClosedStack.environment)
            do {
                try await Self.checkRecovery(restarted, stack: stack, session: session, crashed: crashed)
                await restarted.stop()
            } catch {
                await restarted.stop()
                throw error
            }
        }
    }

    /// After the restart: chain intact, session closed and marked interrupted, recording sealed, and the broker
    /// serving new sessions.
    private static func checkRecovery(
        _ broker: BrokerProcess, stack: FailClosedStack, session: String, crashed: CrashedRecording
    ) async throws {
        let events = try await Evidence.auditEvents(broker)
        #expect(AuditLeafVerifier.verify(events) == nil)
        let operatorCheck = try await stack.operatorAuditCheck()
        #expect(operatorCheck.status == 0, "\(operatorCheck.stderr)")
        #expect(operatorCheck.stdout.contains("audit log intact"))

        let ofSession = events.filter { $0.session == session }
        #expect(ofSession.map(\.action).first == "session.grant")
        let interrupted = try #require(ofSession.first { $0.action == "session.interrupted" })
        #expect(interrupted.details["recording_torn_bytes"]?.intValue ?? 0 == Int64(crashed.tornTail.count))
        #expect(interrupted.details["recording_error"] == nil)
        let close = try #require(ofSession.last { $0.action == "session.close" })
        #expect(close.seq > interrupted.seq)
        let stored = try await SQLiteStore(path: broker.dataDir.appendingPathComponent("broker.db"))
            .session(id: session)
        #expect(stored?.status == .closed)

        // Sealed: the whole lines as the crash left them, then an end event saying so, its hash in the chain.
        let bytes = Array(try Data(contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl")))
        let sealed = try RecordingFile.events(in: bytes)
        #expect(sealed.dropLast().map(\.hash) == crashed.events.map(\.hash))
        #expect(sealed.last?.kind == .end)
        #expect(sealed.last?.details["status"]?.stringValue == "interrupted")
        #expect(close.details["recording_digest"]?.stringValue == sealed.last?.hash)
        #expect(close.details["recording_events"]?.intValue == Int64(sealed.count))
        #expect(stored?.recordingDigest == sealed.last?.hash)

        let (connect, port, _, password) = try await PostgresEndToEndTests.connect(stack.agent)
        let after = try await FailClosedStack.throughBroker(port: port, password: password, "select 'back'")
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("back"))
        connect.signal(SIGINT)
        _ = try await connect.waitForExit()
    }

    /// The values of the recorded `insert into crash_stream values (n)` statements.
    static func insertedValues(_ events: [RecordingEvent]) throws -> Set<Int> {
        let pattern = try Regex("crash_stream values \\(([0-9]+)\\)")
        var values: Set<Int> = []
        for event in events where event.kind == .query {
            guard let sql = event.details["sql"]?.stringValue, let match = sql.firstMatch(of: pattern),
                let text = match.output[1].substring, let value = Int(text)
            else { continue }
            values.insert(value)
        }
        return values
    }
}

import Foundation
import HoopCore
import Testing

@testable import Broker
@testable import PostgresWire

/// The broker's data dir runs out of space while a session is live. The disk is real: the data dir is a 16 MiB
/// tmpfs mounted for the test, filled by another file until writes fail with ENOSPC (`SmallFilesystem`).
@Suite(
    "Fail closed: the data dir fills up mid-session", .serialized,
    .enabled(if: SmallFilesystem.isAvailable, "mounting a small tmpfs needs root with CAP_SYS_ADMIN")
)
struct FailClosedDiskFullTests {
    @Test(
        "a full disk stops live traffic with a FATAL, nothing unrecorded reaches the target, and the broker recovers"
    )
    func diskFullMidSession() async throws {
        try await FailClosedStack.with(dataMegabytes: 16) { stack in
            let filesystem = try #require(stack.dataFilesystem)
            _ = try await stack.onTarget("create table disk_rows (n int primary key, pad text)")
            let (connect, port, session, password) = try await PostgresEndToEndTests.connect(stack.agent)
            let client = try RawPostgresClient(port: port)
            try client.login(password: password)
            let before = try Self.run(client, "insert into disk_rows values (1, 'before')")
            #expect(before.contains { if case .commandComplete("INSERT 0 1") = $0 { true } else { false } })

            let filler = try filesystem.fill()
            // Bigger than a page, so it cannot hide in the slack at the end of the recording file.
            let padding = String(repeating: "x", count: 64 * 1024)
            let during = try Self.run(client, "insert into disk_rows values (2, '\(padding)')")
            let fatal = during.compactMap { message -> PostgresBackendMessage.Diagnostic? in
                if case .errorResponse(let diagnostic) = message { diagnostic } else { nil }
            }.first
            #expect(fatal?.sqlState == .ioError)
            #expect(fatal?.message?.contains("cannot write this session's recording") == true, "\(during)")
            #expect(fatal?.message?.contains("No space left on device") == true, "\(during)")
            #expect(!during.contains { if case .commandComplete = $0 { true } else { false } })
            #expect(!during.contains { if case .readyForQuery = $0 { true } else { false } })
            // Nothing unrecorded reached the target.
            #expect(try await stack.onTarget("select n from disk_rows order by n") == ["1"])

            let refused = try await stack.agent.run(["connect", "pg-prod", "--port", "0"], timeout: .seconds(60))
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("cannot record a new session"), "\(refused.stderr)")
            #expect(refused.stderr.contains("No space left on device"), "\(refused.stderr)")
            #expect(stack.broker.isRunning)

            try filesystem.free(filler)
            connect.signal(SIGINT)
            _ = try? await connect.waitForExit(timeout: .seconds(20))
            try await Self.checkRecovery(stack, session: session)
        }
    }

    /// Space is back: the failed session's end is in the chain with its reason, its recording holds what was
    /// relayed and no more, and a new session works.
    private static func checkRecovery(_ stack: FailClosedStack, session: String) async throws {
        try await FailClosedStack.waitUntil("the failed session is closed") {
            try await SQLiteStore(path: stack.broker.dataDir.appendingPathComponent("broker.db"))
                .session(id: session)?.status == .closed
        }
        let events = try await Evidence.auditEvents(stack.broker)
        #expect(AuditLeafVerifier.verify(events) == nil)
        let close = try #require(events.last { $0.session == session && $0.action == "session.close" })
        #expect(close.details["note"]?.stringValue?.contains("recording failed") == true, "\(close.details)")
        #expect(close.details["note"]?.stringValue?.contains("No space left on device") == true, "\(close.details)")

        // The recording was cut back to its last whole event: it chains, and holds insert 1 but not insert 2.
        let recording = try Evidence.recording(stack.broker, session: session)
        let statements = recording.compactMap { $0.details["sql"]?.stringValue }
        #expect(statements.contains("insert into disk_rows values (1, 'before')"))
        #expect(!statements.contains { $0.contains("values (2,") })

        let (connect, port, _, password) = try await PostgresEndToEndTests.connect(stack.agent)
        let after = try await FailClosedStack.throughBroker(
            port: port, password: password, "insert into disk_rows values (3, 'after')")
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try await stack.onTarget("select n from disk_rows order by n") == ["1", "3"])
        connect.signal(SIGINT)
        _ = try await connect.waitForExit()
        let operatorCheck = try await stack.operatorAuditCheck()
        #expect(operatorCheck.status == 0, "\(operatorCheck.stderr)")
    }

    /// Sends one simple query and collects what comes back until ReadyForQuery or the connection closes.
    static func run(_ client: RawPostgresClient, _ sql: String) throws -> [PostgresBackendMessage] {
        try client.send(.query(sql))
        var messages: [PostgresBackendMessage] = []
        while let message = try client.receive() {
            messages.append(message)
            if case .readyForQuery = message { break }
        }
        return messages
    }
}

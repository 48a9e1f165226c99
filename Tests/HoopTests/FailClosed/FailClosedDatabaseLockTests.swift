import Foundation
import HoopCore
import Testing

@testable import Broker

/// Another process holds the write lock on `broker.db` (the `sqlite3` shell inside `BEGIN EXCLUSIVE`) for longer
/// than the store's busy timeout.
@Suite("Fail closed: the broker's database is locked", .serialized)
struct FailClosedDatabaseLockTests {
    @Test(
        "a write-locked broker.db refuses new sessions precisely; the broker keeps running and recovers"
    )
    func lockedDatabaseRefusesSessions() async throws {
        try await FailClosedStack.with { stack in
            // First use of the token is audited; do it now, so what the lock refuses is the session itself.
            #expect(try await stack.agent.run(["resources"]).status == 0)
            let database = stack.broker.dataDir.appendingPathComponent("broker.db")
            let lock = try await DatabaseLock(database)

            let refused = try await stack.agent.run(["connect", "pg-prod", "--port", "0"], timeout: .seconds(60))
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("cannot record a new session"), "\(refused.stderr)")
            #expect(refused.stderr.contains("database is locked"), "\(refused.stderr)")
            #expect(stack.broker.isRunning)
            // The refused session left nothing behind: no recording a verifier would find unaccounted for.
            let recordings = stack.broker.dataDir.appendingPathComponent("recordings")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: recordings.path)) ?? []).isEmpty)

            try await lock.release()
            #expect(try await !DatabaseLock.isLocked(database))
            let (connect, port, session, password) = try await PostgresEndToEndTests.connect(stack.agent)
            let after = try await FailClosedStack.throughBroker(port: port, password: password, "select 'unlocked'")
            #expect(after.status == 0, "\(after.stderr)")
            #expect(after.stdout.contains("unlocked"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()

            let events = try await Evidence.auditEvents(stack.broker)
            #expect(AuditLeafVerifier.verify(events) == nil)
            #expect(events.contains { $0.session == session && $0.action == "session.grant" })
            #expect(events.filter { $0.action == "session.grant" }.count == 1)
        }
    }
}

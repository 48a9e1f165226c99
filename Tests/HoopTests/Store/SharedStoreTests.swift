import Foundation
import HoopCore
import Logging
import Synchronization
import Testing

@testable import Broker

extension StoreConformanceTests {
    /// What brokers sharing a store rely on from each other: announced changes, one signer at a time, one schema.
    @Suite("brokers sharing a store")
    struct Coordination {
        @Test("a store announces its own ended sessions and decided approvals", arguments: StoreBackend.allCases)
        func ownChanges(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                let changes = store.changes()
                try await store.insertSession(StoreConformanceTests.session("ses_own"))
                _ = try await store.endSession(
                    id: "ses_own", status: .closed, at: StoreConformanceTests.now, recordingDigest: nil)
                #expect(await firstChange(changes) { _ in true } == .session("ses_own"))
                var approval = try await store.insertApproval(StoreConformanceTests.approval())
                approval.status = .withdrawn
                _ = try await store.updateApproval(approval)
                #expect(await firstChange(changes) { _ in true } == .approval(approval.id))
                // A failed compare-and-set changes nothing and announces nothing; the session ended already.
                _ = try await store.updateApproval(approval)
                _ = try await store.endSession(
                    id: "ses_own", status: .closed, at: StoreConformanceTests.now, recordingDigest: nil)
                #expect(await firstChange(changes, within: 1) { _ in true } == nil)
            }
        }

        @Test("closing a store ends its change streams", arguments: StoreBackend.allCases)
        func closeEndsStreams(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                let changes = store.changes()
                await store.close()
                var iterator = changes.makeAsyncIterator()
                #expect(await iterator.next() == nil)
            }
        }

        @Test(
            "rejected credentials add up across brokers per source and window; old windows are forgotten",
            arguments: StoreBackend.allCases)
        func rejectionCounts(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(2)
                #expect(
                    try await brokers[0].addRejections(["10.0.0.9": 7, "10.0.0.8": 1], window: 1_000) == [
                        "10.0.0.9": 7, "10.0.0.8": 1,
                    ])
                #expect(try await brokers[1].addRejections(["10.0.0.9": 5], window: 1_000) == ["10.0.0.9": 12])
                #expect(try await brokers[1].addRejections(["10.0.0.9": 1], window: 1_001) == ["10.0.0.9": 1])
                // An hour of windows later the old ones are gone: counting there starts again.
                _ = try await brokers[0].addRejections(["10.0.0.7": 1], window: 1_000 + RejectionWindows.kept + 1)
                #expect(try await brokers[0].addRejections(["10.0.0.9": 1], window: 1_000) == ["10.0.0.9": 1])
            }
        }

        @Test("a change one broker makes reaches another broker's stream", arguments: StoreBackend.shared)
        func crossBrokerChanges(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(2)
                let changes = brokers[1].changes()
                try await brokers[0].insertSession(StoreConformanceTests.session("ses_x"))
                _ = try await brokers[0].endSession(
                    id: "ses_x", status: .revoked, at: StoreConformanceTests.now, recordingDigest: nil)
                #expect(await firstChange(changes, within: 10) { _ in true } == .session("ses_x"))
                var approval = try await brokers[1].insertApproval(StoreConformanceTests.approval())
                approval.status = .approved
                let stored = try #require(try await brokers[0].updateApproval(approval))
                #expect(await firstChange(changes, within: 10) { _ in true } == .approval(stored.id))
            }
        }

        @Test(
            "the listener reconnects when its connection is killed, and changes arrive again",
            arguments: StoreBackend.shared)
        func listenerReconnects(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(2)
                let changes = brokers[1].changes()
                let killed = try await fixture.execute(
                    """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = 'hoop-broker-listener' AND datname = current_database()
                    """)
                #expect(killed == "2")
                let request = try await brokers[0].insertApproval(StoreConformanceTests.approval())
                // What is announced while the listener is away is lost (the sweeps cover it); keep announcing until
                // one arrives, which it must within the listener's backoff.
                let announcer = Task {
                    var approval = request
                    while !Task.isCancelled, let stored = try await brokers[0].updateApproval(approval) {
                        approval = stored
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                let arrived = await firstChange(changes, within: 15) { _ in true }
                announcer.cancel()
                #expect(arrived == .approval(request.id))
                let reconnected = try await fixture.execute(
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE application_name = 'hoop-broker-listener' AND datname = current_database()
                    """)
                #expect(reconnected == "2")
            }
        }

        @Test(
            "one broker at a time holds the signing turn; it passes on when released, also by a throw",
            arguments: StoreBackend.shared)
        func signingTurn(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(2)
                let (entered, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
                let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
                let holder = Task {
                    try await brokers[0].withSigningTurn {
                        enteredContinuation.yield()
                        for await _ in release { break }
                        return "a signed"
                    }
                }
                for await _ in entered { break }
                #expect(try await brokers[1].withSigningTurn { "b signed" } == nil)
                releaseContinuation.yield()
                #expect(try await holder.value == "a signed")
                #expect(try await brokers[1].withSigningTurn { "b signed" } == "b signed")

                struct Refused: Error {}
                await #expect(throws: Refused.self) {
                    try await brokers[1].withSigningTurn { () async throws -> String in throw Refused() }
                }
                #expect(try await brokers[0].withSigningTurn { "a again" } == "a again")
            }
        }

        @Test("the embedded store's single broker always has the turn")
        func embeddedSigningTurn() async throws {
            try await StoreFixture.with(.sqlite) { fixture in
                let store = try await fixture.open()
                #expect(try await store.withSigningTurn { 42 } == 42)
            }
        }

        @Test("a store that refuses the login stops the broker at once with the reason", arguments: StoreBackend.shared)
        func unreachable(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let config = try #require(fixture.postgresConfig)
                let started = ContinuousClock.now
                await #expect {
                    _ = try await PostgresStore(config: config, password: "wrong", logger: Logger(label: "test"))
                } throws: { error in
                    "\(error)".contains("password authentication failed") && "\(error)".contains(config.database)
                }
                var untrusted = config
                untrusted.caFile = nil
                await #expect {
                    _ = try await PostgresStore(
                        config: untrusted, password: PostgresServer.password, logger: Logger(label: "test"))
                } throws: { error in
                    "\(error)".contains("tls verify-full") && "\(error)".lowercased().contains("certificate")
                }
                #expect(ContinuousClock.now - started < .seconds(20))
            }
        }

        @Test("brokers starting together on a new database migrate it once", arguments: StoreBackend.shared)
        func concurrentMigrations(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let stores = try await withThrowingTaskGroup(of: (any Store).self) { group in
                    for _ in 0..<3 { group.addTask { try await fixture.open() } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(stores.count == 3)
                let applied = try await fixture.execute("SELECT string_agg(version, ',') FROM schema_migrations")
                #expect(applied == PostgresMigrations.all.map(\.version).joined(separator: ","))
                for (index, store) in stores.enumerated() {
                    _ = try await store.appendAudit(AuditLog.draft("b\(index)", index), at: Date())
                }
                #expect(try await stores[0].treeHead().size == 3)
            }
        }
    }
}

import Crypto
import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// Session managers of several brokers on one store, without sockets: a grant from one broker admits on another,
/// which records its part in a segment of its own; whichever broker ends a session, every segment is sealed exactly
/// once; a dead broker's session is taken over by exactly one survivor and stays open; a stopping broker ends only
/// what it owns. (The store is SQLite here, which one process may share between managers; the same store protocol
/// on PostgreSQL is covered by the store suite and the three-process test.)
@Suite("Shared store: sessions across brokers")
struct SharedStoreSessionTests {
    let store: SQLiteStore
    let audit: AuditLog
    let directory: URL
    let grantKey = Curve25519.Signing.PrivateKey()
    let principal = Principal(issuer: "https://idp.example.com", subject: "ada", email: nil, groups: ["agents"])

    init() throws {
        directory = try TestEnvironment.scratchDirectory("shared-store")
        store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        audit = AuditLog(store: store, logger: Logger(label: "test"))
    }

    /// One broker of the deployment: its own data dir (recordings), the shared store and grant key.
    func broker(_ name: String, shared: Bool = true, archive: (any RecordingArchive)? = nil) async throws
        -> SessionManager
    {
        let data = directory.appendingPathComponent(name)
        let config = try ConfigLoader.parse(
            yaml: """
                identity: [{issuer: https://idp.example.com, audience: hoop}]
                data_dir: \(data.path)
                admin_groups: [admins]
                resources:
                  - {name: pg, type: postgres, address: 127.0.0.1:5432, database: app, username: u,
                     password_env: UNUSED, allow_groups: [agents]}
                """,
            relativeTo: directory, checkSecrets: false)
        let logger = Logger(label: name)
        let approvals = ApprovalService(
            config: config, store: store, audit: audit,
            notifier: ApprovalNotifier(config: config.approvals, logger: logger), logger: logger)
        // No heartbeat runs here: a broker counts as alive for an hour after it registered, however slowly the
        // test runs, and a test makes one dead by moving its heartbeat further back than that.
        let deployment = BrokerDeployment(name: name, shared: shared, deadAfter: 3600)
        try await BrokerPresence.register(deployment, listen: "127.0.0.1:0", store: store)
        return SessionManager(
            config: config, store: store, audit: audit, grants: await GrantSigner(key: grantKey),
            approvals: approvals,
            engines: try EngineRegistry(EngineEnvironment(logger: logger, dataDir: data, maskers: [:])),
            deployment: deployment, archive: archive, logger: logger)
    }

    func grant(_ manager: SessionManager, now: Date = Date()) async throws -> (SessionRecord, String, String) {
        let opening = try await manager.open(
            SessionRequest(resource: "pg", reason: nil, durationSeconds: 600), for: principal, now: now)
        guard case .granted(let session, let grant, let credentials?) = opening else {
            throw PeerError("no session with credentials")
        }
        return (session, grant, credentials.password)
    }

    func events(_ action: AuditAction, session: String) async throws -> [AuditEvent] {
        try await store.auditEvents(from: 1, limit: 10_000).filter {
            $0.action == action.rawValue && $0.session == session
        }
    }

    @Test("a grant from broker A admits on broker B, which joins with its own segment and the login from the grant")
    func joinOnAnotherBroker() async throws {
        let a = try await broker("a")
        let b = try await broker("b")
        let (session, grant, password) = try await grant(a)
        let tunnel = try await b.admit(grant: grant)
        #expect(tunnel.session.id == session.id)
        #expect(tunnel.clientPassword == password, "the session's client login came with the grant")
        #expect(tunnel.recorder.url.lastPathComponent == "\(session.id).\(b.deployment.brokerID).jsonl")
        let again = try await b.admit(grant: grant)
        #expect(again.recorder === tunnel.recorder, "a second tunnel on B joins the same segment")
        let joins = try await events(.sessionJoin, session: session.id)
        #expect(joins.count == 1)
        #expect(joins.first?.details["broker"] == .string(b.deployment.brokerID))
        #expect(joins.first?.details["owner"] == .string(a.deployment.brokerID))
    }

    @Test("the embedded single broker never joins a session it did not grant")
    func singleBrokerDoesNotJoin() async throws {
        let a = try await broker("a", shared: false)
        let other = try await broker("other", shared: false)
        let (_, grant, _) = try await grant(a)
        await #expect(throws: BrokerError.self) { try await other.admit(grant: grant) }
    }

    @Test("the sealed client login is bound to its session: moved into another session's claims it does not open")
    func sealedSecretIsBound() async throws {
        let signer = await GrantSigner(key: grantKey)
        let a = try await broker("a")
        let (session, grant, password) = try await grant(a)
        var claims = try #require(await signer.verify(grant))
        #expect(signer.clientSecret(of: claims) == password)
        claims.sessionID = session.id + "x"
        #expect(signer.clientSecret(of: claims) == nil)
        let stranger = await GrantSigner(key: Curve25519.Signing.PrivateKey())
        #expect(await stranger.verify(grant) == nil, "another deployment's key verifies nothing")
    }

    @Test("a revoke through B closes the session; A, told by the store, seals its own recording with recording.seal")
    func revokeElsewhere() async throws {
        let a = try await broker("a")
        let b = try await broker("b")
        let (session, _, _) = try await grant(a)
        let changes = store.changes()
        _ = try await b.revoke(session.id, by: principal)
        var iterator = changes.makeAsyncIterator()
        #expect(await iterator.next() == .session(session.id), "the store announced the end")
        await a.endedElsewhere(session.id)
        let close = try #require(try await events(.sessionClose, session: session.id).first)
        #expect(close.details["recording_digest"] == nil, "B recorded nothing of this session")
        let seal = try #require(try await events(.recordingSeal, session: session.id).first)
        #expect(seal.details["recording"] == .string(session.id))
        let file = directory.appendingPathComponent("a/recordings/\(session.id).jsonl")
        let recorded = try RecordingFile.events(in: Array(try Data(contentsOf: file)))
        #expect(seal.details["recording_digest"] == .string(recorded.last?.hash ?? ""))
        #expect(recorded.last?.kind == .end)
        await a.endedElsewhere(session.id)
        #expect(try await events(.recordingSeal, session: session.id).count == 1, "sealed once")
    }

    @Test("both brokers expire the same session: one session.close, and the other's segment sealed on its own")
    func expiryRace() async throws {
        let a = try await broker("a")
        let b = try await broker("b")
        let (session, grant, _) = try await grant(a)
        _ = try await b.admit(grant: grant)
        let later = Date().addingTimeInterval(3600)
        async let first: Void = a.expireDue(now: later)
        async let second: Void = b.expireDue(now: later)
        _ = await (first, second)
        #expect(try await events(.sessionClose, session: session.id).count == 1)
        let seals = try await events(.recordingSeal, session: session.id)
        #expect(seals.count == 1)
        let close = try #require(try await events(.sessionClose, session: session.id).first)
        let sealed = Set([close.details["recording"] ?? .string(session.id), seals.first?.details["recording"]])
        #expect(
            sealed == [.string(session.id), .string("\(session.id).\(b.deployment.brokerID)")],
            "each segment sealed exactly once, by whichever event")
    }

    @Test("a dead broker's session is taken over by exactly one survivor, stays open, and the log says so")
    func takeOver() async throws {
        let dead = try await broker("dead")
        let (session, grant, _) = try await grant(dead)
        try await store.heartbeat(brokerID: dead.deployment.brokerID, at: Date().addingTimeInterval(-7200))
        let b = try await broker("b")
        let c = try await broker("c")
        async let first: Void = b.takeOverOrphans()
        async let second: Void = c.takeOverOrphans()
        _ = try await (first, second)
        let interrupted = try await events(.sessionInterrupted, session: session.id)
        #expect(interrupted.count == 1)
        #expect(interrupted.first?.details["previous_owner"] == .string(dead.deployment.brokerID))
        let stored = try #require(try await store.session(id: session.id))
        #expect(stored.status == .active, "the client carries on with its grant")
        #expect([b.deployment.brokerID, c.deployment.brokerID].contains(stored.owner))
        #expect(try await b.admit(grant: grant).session.id == session.id)
        try await b.takeOverOrphans()
        try await c.takeOverOrphans()
        #expect(try await events(.sessionInterrupted, session: session.id).count == 1, "a live owner keeps it")
    }

    @Test("a stopping broker ends the sessions it owns and seals its segments of others, which go on")
    func shutdownEndsOnlyOwn() async throws {
        let a = try await broker("a")
        let b = try await broker("b")
        let (own, _, _) = try await grant(a)
        let (others, othersGrant, _) = try await grant(b)
        _ = try await a.admit(grant: othersGrant)
        await a.closeAll()
        #expect(try await store.session(id: own.id)?.status == .closed)
        #expect(try await store.session(id: others.id)?.status == .active)
        let seal = try #require(try await events(.recordingSeal, session: others.id).first)
        #expect(seal.details["recording"] == .string("\(others.id).\(a.deployment.brokerID)"))
        #expect(seal.details["recording_digest"] != nil)
    }

    @Test("broker status: running, stopped and unresponsive brokers, with the sessions each owns")
    func status() async throws {
        let a = try await broker("a")
        let gone = try await broker("gone")
        let stopped = try await broker("stopped")
        _ = try await grant(a)
        _ = try await grant(a)
        try await store.heartbeat(brokerID: gone.deployment.brokerID, at: Date().addingTimeInterval(-7200))
        try await store.brokerStopped(brokerID: stopped.deployment.brokerID, at: Date())
        let admin = Principal(issuer: "https://idp.example.com", subject: "root", email: nil, groups: ["admins"])
        await #expect(throws: BrokerError.self) { try await a.brokerStatus(for: principal) }
        let adminConfigured = try await broker("admin-view")
        let report = try await adminConfigured.brokerStatus(for: admin)
        let byName = Dictionary(report.brokers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["a"]?.state == .running)
        #expect(byName["a"]?.sessions == 2)
        #expect(byName["gone"]?.state == .unresponsive)
        #expect(byName["stopped"]?.state == .stopped)
        #expect(report.answeredBy == adminConfigured.deployment.brokerID)
    }

    @Test("a dead owner's shipped segment is sealed from the shared archive by the broker that takes the session over")
    func takeOverSealsFromArchive() async throws {
        let shared = LocalRecordingArchive(directory: directory.appendingPathComponent("archive"))
        let dead = try await broker("dead", archive: shared)
        let (session, grant, _) = try await grant(dead)
        let tunnel = try await dead.admit(grant: grant)
        try tunnel.recorder.recordData(Array("select 1".utf8), conn: tunnel.recorder.newConnection(), dir: .up)
        await dead.flushRecordings()
        try await store.heartbeat(brokerID: dead.deployment.brokerID, at: Date().addingTimeInterval(-7200))
        let survivor = try await broker("survivor", archive: shared)
        try await survivor.takeOverOrphans()
        let seal = try #require(try await events(.recordingSeal, session: session.id).first)
        #expect(seal.details["recording"] == .string(session.id))
        let archived = try #require(try await shared.segment(session.id))
        let recorded = try RecordingFile.events(in: archived)
        #expect(recorded.last?.kind == .end)
        #expect(recorded.contains { $0.kind == .data }, "what the dead broker shipped is kept")
        #expect(seal.details["recording_digest"] == .string(recorded.last?.hash ?? ""))
        // Closing the session later does not seal it a second time.
        _ = try await survivor.revoke(session.id, by: principal)
        #expect(try await events(.recordingSeal, session: session.id).count == 1)
    }
}

import Crypto
import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// Direct-mode admission in the session manager, without sockets: each way a login can be wrong is refused with
/// its own reason, and only the session's own user name with its own password, while the session lives, admits.
@Suite("Direct logins: admission")
struct DirectLoginAdmissionTests {
    let sessions: SessionManager
    let store: SQLiteStore
    let evidenceGate = EvidenceGate()
    let principal = Principal(issuer: "https://idp.example.com", subject: "ada", email: nil, groups: ["agents"])

    init() async throws {
        let directory = try TestEnvironment.scratchDirectory("direct-logins")
        let config = try ConfigLoader.parse(
            yaml: """
                identity: [{issuer: https://idp.example.com, audience: hoop}]
                postgres_direct: {listen: 127.0.0.1:6432}
                resources:
                  - {name: pg-direct, type: postgres, address: 127.0.0.1:5432, database: app, username: u,
                     password_env: UNUSED, allow_direct: true, allow_groups: [agents]}
                  - {name: pg-loopback, type: postgres, address: 127.0.0.1:5432, database: app, username: u,
                     password_env: UNUSED, allow_groups: [agents]}
                """,
            relativeTo: directory, checkSecrets: false)
        let logger = Logger(label: "test")
        store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        let audit = AuditLog(store: store, logger: logger)
        let approvals = ApprovalService(
            config: config, store: store, audit: audit,
            notifier: ApprovalNotifier(config: config.approvals, logger: logger), logger: logger)
        sessions = SessionManager(
            config: config, store: store, audit: audit,
            grants: await GrantSigner(key: Curve25519.Signing.PrivateKey()), approvals: approvals,
            engines: try EngineRegistry(EngineEnvironment(logger: logger, dataDir: directory, maskers: [:])),
            evidenceGate: evidenceGate, logger: logger)
    }

    func open(_ resource: String, now: Date = Date(), seconds: Int? = nil) async throws
        -> (SessionRecord, SessionCredentials)
    {
        let opening = try await sessions.open(
            SessionRequest(resource: resource, reason: nil, durationSeconds: seconds), for: principal, now: now)
        guard case .granted(let session, _, let credentials?) = opening else {
            throw PeerError("no session with credentials")
        }
        return (session, credentials)
    }

    func refusal(_ user: String, _ password: String) async -> DirectLoginRefusal? {
        do {
            _ = try await sessions.admit(directUser: user, password: password)
            return nil
        } catch {
            return error
        }
    }

    @Test("a direct resource's session gets its own user and the direct port; a loopback one keeps hoop")
    func credentials() async throws {
        let (_, direct) = try await open("pg-direct")
        #expect(direct.user.hasPrefix("hoop_") && direct.user.count == 5 + 24)
        #expect(direct.directPort == 6432)
        let (_, loopback) = try await open("pg-loopback")
        #expect(loopback.user == "hoop")
        #expect(loopback.directPort == nil)
    }

    @Test("the session's own login admits, marked as proven for the engine")
    func admitted() async throws {
        let (session, login) = try await open("pg-direct")
        let tunnel = try await sessions.admit(directUser: login.user, password: login.password)
        #expect(tunnel.session.id == session.id)
        #expect(tunnel.loginProven)
        #expect(tunnel.entry == .postgresDirect)
    }

    @Test("each wrong login is refused with its own reason")
    func refusedByClass() async throws {
        let (mine, login) = try await open("pg-direct")
        let (_, other) = try await open("pg-direct")
        let (_, loopback) = try await open("pg-loopback")

        #expect(await refusal(login.user, "guess")?.reason.code == "wrong_password")
        #expect(await refusal(login.user, "guess")?.passwordMatched == false)
        #expect(await refusal(other.user, login.password)?.reason.code == "wrong_password")
        #expect(await refusal("hoop_000000000000000000000000", login.password)?.reason.code == "unknown_login")
        #expect(await refusal("hoop", loopback.password)?.reason.code == "loopback_login")

        _ = try await sessions.revoke(mine.id, by: principal)
        let revoked = await refusal(login.user, login.password)
        #expect(revoked?.reason.code == "session_revoked")
        #expect(revoked?.passwordMatched == true)
        #expect(revoked?.session?.id == mine.id)

        let (_, expired) = try await open("pg-direct", now: Date().addingTimeInterval(-120), seconds: 60)
        #expect(await refusal(expired.user, expired.password)?.reason.code == "session_expired")
    }

    @Test("refusals are audited as tunnel.deny: anonymous for a wrong password, the principal's once it matched")
    func audited() async throws {
        let (mine, login) = try await open("pg-direct")
        let wrong = try #require(await refusal(login.user, "guess"))
        try await sessions.recordDirectDenial(wrong, source: "203.0.113.9", user: login.user)
        _ = try await sessions.revoke(mine.id, by: principal)
        let replayed = try #require(await refusal(login.user, login.password))
        try await sessions.recordDirectDenial(replayed, source: "203.0.113.9", user: login.user)
        let denials = try await store.auditEvents(from: 1, limit: 1_000).filter { $0.action == "tunnel.deny" }
        #expect(denials.map(\.actor) == ["anonymous", "ada"])
        #expect(denials.map { $0.details["reason"]?.stringValue } == ["wrong_password", "session_revoked"])
        #expect(denials.allSatisfy { $0.session == mine.id && $0.details["source"]?.stringValue == "203.0.113.9" })
    }

    @Test("while fail-closed witnessing has no witness, even a right login is refused, and a cancel too")
    func evidenceGateClosed() async throws {
        let (session, login) = try await open("pg-direct")
        evidenceGate.close(reason: "no witness cosigned for 5m")
        #expect(await refusal(login.user, login.password)?.reason.code == "evidence_unwitnessed")
        await #expect(throws: DirectLoginRefusal.self) { try await sessions.admit(cancelFor: session.id) }
        evidenceGate.open()
        #expect(try await sessions.admit(directUser: login.user, password: login.password).session.id == session.id)
    }

    @Test("a cancel is admitted only for a live session of a direct resource")
    func cancel() async throws {
        let (direct, _) = try await open("pg-direct")
        #expect(try await sessions.admit(cancelFor: direct.id).session.id == direct.id)
        let (loopback, _) = try await open("pg-loopback")
        await #expect(throws: DirectLoginRefusal.self) { try await sessions.admit(cancelFor: loopback.id) }
        await #expect(throws: DirectLoginRefusal.self) { try await sessions.admit(cancelFor: "ses_missing") }
    }
}

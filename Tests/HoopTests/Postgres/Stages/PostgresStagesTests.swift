import Crypto
import Foundation
import HoopCore
import Logging
import Masking
import NIOCore
import NIOEmbedded
import PostgresWire
import Testing

@testable import Broker

/// The PostgreSQL relay stages on two embedded channels, as the engine splices them after login: statements from
/// the client are recorded before they reach the target, and results are masked before they reach the client.
@Suite("PostgreSQL: relay stages")
struct PostgresStagesTests {
    final class Stack {
        let loop = EmbeddedEventLoop()
        let client: EmbeddedChannel
        let target: EmbeddedChannel
        let recording: URL
        let directory: URL

        init() async throws {
            directory = try TestEnvironment.scratchDirectory("pg-stages")
            let config = try ConfigLoader.parse(
                yaml: """
                    identity: [{issuer: https://idp.example.com, audience: hoop}]
                    resources:
                      - {name: pg, type: postgres, address: 127.0.0.1:5432, database: app, username: u,
                         password_env: UNUSED}
                    """,
                relativeTo: directory, checkSecrets: false)
            let resource = try #require(config.resources.first)
            let logger = Logger(label: "test")
            let store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
            let audit = AuditLog(store: store, logger: logger)
            let approvals = ApprovalService(
                config: config, store: store, audit: audit,
                notifier: ApprovalNotifier(config: config.approvals, logger: logger), logger: logger)
            let sessions = SessionManager(
                config: config, store: store, audit: audit,
                grants: await GrantSigner(key: Curve25519.Signing.PrivateKey()), approvals: approvals,
                engines: try EngineRegistry(EngineEnvironment(logger: logger, dataDir: directory, maskers: [:])),
                logger: logger)
            recording = directory.appendingPathComponent("recording.jsonl")
            let recorder = try SessionRecorder(file: recording, metadata: [:])
            let session = SessionRecord(
                id: "ses_stages", resource: "pg", resourceType: .postgres, issuer: "test", subject: "tester",
                email: nil, groups: [], reason: nil, status: .active, createdAt: Date(),
                expiresAt: Date().addingTimeInterval(600), endedAt: nil, connections: 0, bytesUp: 0, bytesDown: 0,
                recordingDigest: nil)
            let tunnel = AdmittedTunnel(
                session: session, resource: resource, recorder: recorder, clientPassword: nil, approvals: approvals)
            let clock = StatementClock()
            let refusals = PostgresRefusals()
            let statements = PostgresStatementStage(
                recorder: recorder, connection: 1, clock: clock,
                judge: StatementJudge(rules: [], dialect: .postgres), gate: nil, refusals: refusals,
                eventLoop: loop, masker: nil, logger: logger)
            let results = PostgresResultStage(
                recorder: recorder, connection: 1, rowLimit: 10, clock: clock, refusals: refusals,
                masker: PostgresResultMasker(
                    masker: ValueMasker(
                        policy: try MaskingPolicy(detectors: [.email], strategy: .redact, columns: [], custom: []),
                        key: MaskingKey(bytes: Array(repeating: 7, count: 32)))),
                reporter: ConnectionReporter(sessions: sessions, tunnel: tunnel, connection: 1), logger: logger)
            client = EmbeddedChannel(loop: loop)
            target = EmbeddedChannel(loop: loop)
            let (fromClient, fromTarget) = RelayHandler<PostgresFrontendMessage, PostgresBackendMessage>
                .matchedPair(statements, results)
            try client.pipeline.syncOperations.addHandler(fromClient)
            try target.pipeline.syncOperations.addHandler(fromTarget)
        }

        func recorded() throws -> String {
            try String(contentsOf: recording, encoding: .utf8)
        }
    }

    @Test("a query is recorded before the target sees it, and a result's email is masked before the client does")
    func statementAndMaskedResult() async throws {
        let stack = try await Stack()
        defer { try? FileManager.default.removeItem(at: stack.directory) }

        try stack.client.writeInbound(PostgresFrontendMessage.query("select email from users"))
        #expect(try stack.recorded().contains("select email from users"))
        guard case .query(let forwarded)? = try stack.target.readOutbound(as: PostgresFrontendMessage.self) else {
            Issue.record("the query did not reach the target")
            return
        }
        #expect(forwarded == "select email from users")

        // A text column named email, as the wire carries it: name, table OID, attribute, type OID (text), size,
        // modifier, format.
        var fieldBytes = ByteBuffer(string: "email\0")
        fieldBytes.writeInteger(UInt32(0))
        fieldBytes.writeInteger(Int16(0))
        fieldBytes.writeInteger(UInt32(25))
        fieldBytes.writeInteger(Int16(-1))
        fieldBytes.writeInteger(Int32(-1))
        fieldBytes.writeInteger(Int16(0))
        var reader = PostgresMessageReader(body: fieldBytes, messageType: "T", headerLength: 0)
        let field = try PostgresBackendMessage.FieldDescription(from: &reader)
        for message: PostgresBackendMessage in [
            .rowDescription([field]), .dataRow([ByteBuffer(string: "write to alice@example.com")]),
            .commandComplete(tag: "SELECT 1"), .readyForQuery(.idle),
        ] {
            try stack.target.writeInbound(message)
        }
        var cells: [String] = []
        while let message = try stack.client.readOutbound(as: PostgresBackendMessage.self) {
            if case .dataRow(let row) = message { cells += row.map { $0.map { String(buffer: $0) } ?? "NULL" } }
        }
        #expect(cells == ["write to [EMAIL]"])
        let recorded = try stack.recorded()
        #expect(!recorded.contains("alice@example.com"))
        #expect(recorded.contains("[EMAIL]"))
    }
}

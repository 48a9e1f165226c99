import Crypto
import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// A session two brokers served: this broker granted it and wrote segment `ses_m` in its own data dir; another
/// broker wrote `ses_m.brk_2` in its own and shipped it to the shared PostgreSQL archive. The export, replay and
/// retention of this broker reach both.
@Suite("Evidence of a session recorded by two brokers")
struct SegmentedEvidenceTests {
    static let auditor = Principal(issuer: "test", subject: "audit-1", email: nil, groups: ["auditors"])
    static let owner = Principal(issuer: "test", subject: "alice", email: nil, groups: [])

    /// This broker's evidence service over a scratch data dir, with the session's two segments sealed in its log.
    struct Bench {
        let directory: URL
        let store: SQLiteStore
        let key = Curve25519.Signing.PrivateKey()
        let evidence: EvidenceService

        let checkpointer: AuditCheckpointer
        let retention: String?

        static func config(_ directory: URL, retention: String?) throws -> BrokerConfig {
            try ConfigLoader.parse(
                yaml: """
                    data_dir: \(directory.path)
                    auditor_groups: [auditors]
                    \(retention.map { "retention:\n  recordings: \($0)" } ?? "")
                    identity:
                      - issuer: https://idp.example.com
                        audience: hoop
                    resources:
                      - name: pg
                        type: tcp
                        address: 127.0.0.1:5432
                    """,
                relativeTo: directory, checkSecrets: false)
        }

        init(archive: any RecordingArchive, retention: String? = nil) async throws {
            directory = try TestEnvironment.scratchDirectory("segments")
            self.retention = retention
            let config = try Self.config(directory, retention: retention)
            store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
            let logger = Logger(label: "test")
            checkpointer = AuditCheckpointer(
                origin: "evidence.example.test/log", store: store, key: key, everyEvents: 1_000, interval: 3_600,
                logger: logger)
            try await checkpointer.sealGenesis()
            evidence = EvidenceService(
                config: config, store: store, audit: AuditLog(store: store, logger: logger),
                checkpointer: checkpointer, witnesses: nil, key: key, logger: logger, archive: archive)
        }

        /// Records the session: this broker's segment locally, the other broker's shipped to `archive`; then the
        /// grant, the other broker's `recording.seal` and this broker's `session.close`.
        func recordSession(
            archive: any RecordingArchive, endedAt: Date = Date(),
            elsewhere payload: [[UInt8]] = [Array("SELECT 2".utf8)]
        ) async throws {
            try await store.insertSession(
                SessionRecord(
                    id: "ses_m", resource: "pg", resourceType: .tcp, issuer: "test", subject: "alice", email: nil,
                    groups: [], reason: nil, status: .closed, createdAt: endedAt, expiresAt: endedAt,
                    endedAt: endedAt, connections: 1, bytesUp: 8, bytesDown: 7, recordingDigest: nil))
            let own = try SessionRecorder(
                directory: directory.appendingPathComponent("recordings"), sessionID: "ses_m", metadata: [:])
            try own.recordData(Array("SELECT 1".utf8), conn: own.newConnection(), dir: .up)
            let ownSummary = try own.finish(details: ["status": "closed"])

            let elsewhere = directory.appendingPathComponent("other-broker/recordings")
            let other = try SessionRecorder(directory: elsewhere, sessionID: "ses_m.brk_2", metadata: [:])
            let shipper = RecordingShipper(recorder: other, session: "ses_m", archive: archive)
            let connection = other.newConnection()
            for piece in payload {
                try other.recordData(piece, conn: connection, dir: .down)
                try await shipper.ship()
            }
            let otherSummary = try other.finish(details: ["status": "closed"])
            try await shipper.ship()

            let audit = AuditLog(store: store, logger: Logger(label: "test"))
            try await audit.record(
                AuditDraft(actor: "alice", action: .sessionGrant, resource: "pg", session: "ses_m", decision: .allow))
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .recordingSeal, resource: "pg", session: "ses_m", decision: .info,
                    details: [
                        "recording": "ses_m.brk_2", "recording_digest": .string(otherSummary.digest),
                        "recording_events": .int(otherSummary.events),
                    ]))
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .sessionClose, resource: "pg", session: "ses_m", decision: .info,
                    details: [
                        "status": "closed", "recording_digest": .string(ownSummary.digest),
                        "recording_events": .int(ownSummary.events),
                    ]))
        }

        /// Another broker of the deployment: the same store, key and archive, its own empty data dir.
        func otherBroker(archive: any RecordingArchive) throws -> EvidenceService {
            let logger = Logger(label: "test")
            return EvidenceService(
                config: try Self.config(directory.appendingPathComponent("broker-3"), retention: retention),
                store: store, audit: AuditLog(store: store, logger: logger), checkpointer: checkpointer,
                witnesses: nil, key: key, logger: logger, archive: archive)
        }

        /// The export as it leaves the broker: a tar stream (`BundleStreamWriter`), read back file by file.
        func streamedExport(_ filter: EvidenceFilter) async throws -> EvidenceBundle {
            let bundle = try await evidence.export(filter, by: SegmentedEvidenceTests.auditor)
            #expect(
                bundle.files.keys.allSatisfy {
                    !$0.hasPrefix(BundleLayout.recordingsFolder) || $0.hasSuffix(RecordingTombstone.suffix)
                })
            var receiver = BundleTarReceiver(directory: nil, memoryLimit: 1 << 30, keepsRecordings: true)
            try await BundleStreamWriter(bundle: bundle, evidence: evidence, logger: Logger(label: "test")).write {
                try receiver.receive($0.readableBytesView)
            }
            return try receiver.finish()
        }

        func verify(_ bundle: EvidenceBundle) -> BundleVerificationReport {
            BundleVerifier.verify(bundle, trust: BundleTrust(pinnedKey: AuditPublicKey(key.publicKey)))
        }
    }

    @Test("the export carries both segments, the other broker's from the archive, and verifies")
    func exportVerifies() async throws {
        try await ArchiveDatabase.with { database in
            let bench = try await Bench(archive: database.archive)
            defer { try? FileManager.default.removeItem(at: bench.directory) }
            try await bench.recordSession(archive: database.archive)

            let bundle = try await bench.streamedExport(EvidenceFilter(actor: "alice"))
            let shipped = try await database.archive.segment("ses_m.brk_2")
            #expect(bundle.files["recordings/ses_m.brk_2.jsonl"] == shipped)
            #expect(bundle.files["recordings/ses_m.jsonl"] != nil)
            let report = bench.verify(bundle)
            #expect(report.ok, "\(report.problem?.description ?? "")")
            #expect(report.verified.recordings == 2)

            // The same bundle with the other broker's segment edited, its digest in the manifest brought up to date.
            var edited = bundle
            let path = "recordings/ses_m.brk_2.jsonl"
            edited.files[path] = Array(
                String(decoding: bundle.files[path]!, as: UTF8.self).replacingOccurrences(
                    of: "\"seq\":2", with: "\"seq\":3"
                ).utf8)
            var manifest = try BundleManifest(json: bundle.files[BundleLayout.manifest]!)
            manifest.files[path] = BundleManifest.digest(edited.files[path]!)
            edited.files[BundleLayout.manifest] = manifest.json
            #expect(bench.verify(edited).problem?.description.hasPrefix("recording ses_m.brk_2 line 2 (seq 3)") == true)
        }
    }

    @Test("a segment altered in the archive fails the export's verification")
    func alteredInArchive() async throws {
        try await ArchiveDatabase.with { database in
            let bench = try await Bench(archive: database.archive)
            defer { try? FileManager.default.removeItem(at: bench.directory) }
            try await bench.recordSession(archive: database.archive)
            try await database.client.query(
                """
                UPDATE recording_chunks SET bytes = overlay(bytes PLACING 'X'::bytea FROM 3)
                WHERE name = 'ses_m.brk_2' AND start_offset = 0
                """)
            let bundle = try await bench.streamedExport(EvidenceFilter(session: "ses_m"))
            let problem = bench.verify(bundle).problem?.description
            #expect(problem?.hasPrefix("recording ses_m.brk_2") == true, "\(problem ?? "verified")")
        }
    }

    @Test("a segment altered after the manifest sealed it cuts the stream short instead of sending a lying bundle")
    func alteredWhileStreaming() async throws {
        try await ArchiveDatabase.with { database in
            let bench = try await Bench(archive: database.archive)
            defer { try? FileManager.default.removeItem(at: bench.directory) }
            try await bench.recordSession(archive: database.archive)
            let bundle = try await bench.evidence.export(EvidenceFilter(session: "ses_m"), by: Self.auditor)
            #expect(bundle.streamed.keys.sorted() == ["recordings/ses_m.brk_2.jsonl", "recordings/ses_m.jsonl"])
            try await database.client.query(
                """
                UPDATE recording_chunks SET bytes = overlay(bytes PLACING 'X'::bytea FROM 3)
                WHERE name = 'ses_m.brk_2' AND start_offset = 0
                """)
            var received = TarStreamReader()
            let writer = BundleStreamWriter(bundle: bundle, evidence: bench.evidence, logger: Logger(label: "test"))
            await #expect(throws: BundleStreamWriter.SegmentChanged.self) {
                try await writer.write { _ = try received.feed($0.readableBytesView) }
            }
            #expect(throws: TarError.truncated) { try received.finish() }
        }
    }

    @Test("replay reads the other broker's segment from the archive; retention prunes it there to a tombstone")
    func replayAndRetention() async throws {
        try await ArchiveDatabase.with { database in
            let bench = try await Bench(archive: database.archive, retention: "24h")
            defer { try? FileManager.default.removeItem(at: bench.directory) }
            try await bench.recordSession(archive: database.archive, endedAt: Date().addingTimeInterval(-3 * 86_400))
            #expect(try await bench.evidence.recordingSegments("ses_m", for: Self.owner) == ["ses_m", "ses_m.brk_2"])
            let replayed = try await bench.evidence.recording("ses_m.brk_2", for: Self.owner)
            #expect(replayed == (try await database.archive.segment("ses_m.brk_2")))
            let stranger = Principal(issuer: "test", subject: "mallory", email: nil, groups: [])
            await #expect(throws: BrokerError.self) { try await bench.evidence.recording("ses_m.brk_2", for: stranger) }

            await bench.evidence.pruneExpiredRecordings()
            #expect(try await database.archive.segment("ses_m.brk_2") == nil)
            let tombstones = bench.directory.appendingPathComponent("recordings")
            #expect(
                FileManager.default.fileExists(
                    atPath: tombstones.appendingPathComponent("ses_m.brk_2.tombstone.json").path))
            let pruned = await #expect(throws: BrokerError.self) {
                try await bench.evidence.recording("ses_m.brk_2", for: Self.owner)
            }
            #expect(pruned?.code == "recording_pruned")
            let bundle = try await bench.streamedExport(EvidenceFilter(session: "ses_m"))
            let report = bench.verify(bundle)
            #expect(report.ok, "\(report.problem?.description ?? "")")
            #expect(report.verified.tombstones == 2)

            // Through a third broker, which pruned nothing and holds no files: the tombstones come from the archive.
            let third = try bench.otherBroker(archive: database.archive)
            let elsewhere = await #expect(throws: BrokerError.self) {
                try await third.recording("ses_m", for: Self.owner)
            }
            #expect(elsewhere?.code == "recording_pruned")
            let fromThird = try await third.export(EvidenceFilter(session: "ses_m"), by: Self.auditor)
            #expect(fromThird.streamed.isEmpty)
            let thirdReport = bench.verify(fromThird)
            #expect(thirdReport.ok, "\(thirdReport.problem?.description ?? "")")
            #expect(thirdReport.verified.tombstones == 2)
        }
    }

    @Test("a long segment is handed out a page at a time; a read failing midway ends the transfer with an error")
    func pagedReplay() async throws {
        try await ArchiveDatabase.with { database in
            let faulty = FaultyArchive(database.archive)
            let bench = try await Bench(archive: faulty)
            defer { try? FileManager.default.removeItem(at: bench.directory) }
            let pieces = (0..<40).map { index in
                [UInt8](repeating: UInt8(ascii: "a") + UInt8(index % 26), count: 80_000)
            }
            try await bench.recordSession(archive: faulty, elsewhere: pieces)
            let whole = try #require(try await database.archive.segment("ses_m.brk_2"))
            #expect(whole.count > 3 * RecordingPages.defaultPageSize, "the segment spans several pages")

            var opened = try await bench.evidence.openRecording("ses_m.brk_2", for: Self.owner)
            var joined: [UInt8] = []
            var pages = 0
            while let page = try await opened.next() {
                #expect(page.count <= RecordingPages.defaultPageSize)
                joined += page
                pages += 1
            }
            #expect(joined == whole)
            #expect(pages == (whole.count + RecordingPages.defaultPageSize - 1) / RecordingPages.defaultPageSize)
            #expect(try RecordingFile.events(in: joined).count == 42, "start, 40 data events, end")
            // The export streams the same segment out page by page, and it verifies.
            let bundle = try await bench.streamedExport(EvidenceFilter(session: "ses_m"))
            #expect(bundle.files["recordings/ses_m.brk_2.jsonl"] == whole)
            let report = bench.verify(bundle)
            #expect(report.ok, "\(report.problem?.description ?? "")")

            // The first page comes from opening; the second read fails: the transfer ends with the archive's error.
            faulty.readsLeft.withLock { $0 = 1 }
            var failing = try await bench.evidence.openRecording("ses_m.brk_2", for: Self.owner)
            #expect(try await failing.next()?.count == RecordingPages.defaultPageSize)
            let failure = await #expect(throws: BrokerError.self) { _ = try await failing.next() }
            #expect(failure?.code == "recording_unavailable")
            // A failure on the very first read is an error before anything is handed out.
            faulty.readsLeft.withLock { $0 = 0 }
            let unopened = await #expect(throws: BrokerError.self) {
                _ = try await bench.evidence.openRecording("ses_m.brk_2", for: Self.owner)
            }
            #expect(unopened?.code == "recording_unavailable")
        }
    }
}

import Crypto
import Foundation
import HoopCore

/// A small broker history for bundle tests: 53 audit events with checkpoints every 10, two sealed sessions
/// (`ses_a` with its recording file, `ses_b` pruned to a tombstone), written under a temporary directory of its own
/// that `removeFiles()` deletes.
struct EvidenceBundleFixture {
    static let time = "2026-11-21T10:00:00.000Z"

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hoop-evidence-\(UUID().uuidString)")
    let key = Curve25519.Signing.PrivateKey()
    let events: [AuditEvent]
    let checkpoints: [Checkpoint]
    let recordingA: [UInt8]
    let tombstoneB: RecordingTombstone

    init(rotation: (seq: Int64, to: Curve25519.Signing.PrivateKey)? = nil) throws {
        recordingA = Self.recording(session: "ses_a")
        let eventsA = try RecordingFile.events(in: recordingA)
        let recordingB = try RecordingFile.events(in: Self.recording(session: "ses_b"))
        tombstoneB = try RecordingTombstone.sign(
            session: "ses_b", digest: recordingB.last!.hash, events: Int64(recordingB.count), prunedAt: Self.time,
            reason: "retention: 90 days", key: rotation?.to ?? key)
        var events: [AuditEvent] = []
        var checkpoints: [Checkpoint] = []
        var signer = key
        for seq in Int64(1)...53 {
            let prev = events.last?.hash ?? HashChain.genesis
            var draft = AuditDraft(
                actor: "alice", action: AuditAction(rawValue: "query"), resource: "pg", decision: .allow,
                details: ["n": .int(seq)])
            switch seq {
            case 5:
                draft = AuditDraft(
                    actor: "alice", action: .sessionGrant, resource: "pg", session: "ses_a", decision: .allow)
            case 31: draft = Self.close("ses_a", eventsA)
            case 33: draft = Self.close("ses_b", recordingB)
            case rotation?.seq:
                draft = try KeyRotation.auditDraft(
                    actor: "broker", afterSeq: seq - 1, afterHash: prev, oldKey: key,
                    newKey: AuditPublicKey(rotation!.to.publicKey))
                signer = rotation!.to
            default: break
            }
            let event = AuditEvent(
                seq: seq, time: Self.time, actor: draft.actor, action: draft.action.rawValue, resource: draft.resource,
                session: draft.session, decision: draft.decision, details: draft.details, prev: prev)
            events.append(event)
            if seq % 10 == 0 {
                checkpoints.append(
                    try Checkpoint.sign(
                        seq: seq, hash: event.hash, time: Self.time, previous: checkpoints.last?.seq ?? 0, key: signer))
            }
        }
        self.events = events
        self.checkpoints = checkpoints
    }

    var rotations: [KeyRotation] {
        events.filter { $0.kind == .auditKeyRotated }.compactMap { try? KeyRotation(event: $0) }
    }

    func export(from first: Int64 = 1, filter: EvidenceFilter = EvidenceFilter()) -> EvidenceExport {
        EvidenceExport(
            events: Array(events.dropFirst(Int(first - 1))), checkpoints: checkpoints, rotations: rotations,
            recordings: ["ses_a": recordingA], tombstones: [tombstoneB], filter: filter,
            broker: BrokerIdentity(id: "broker-1", fingerprint: "SHA256 ab:cd"), exportedAt: Self.time)
    }

    /// A fresh path under the fixture's directory.
    func newPath() -> URL {
        root.appendingPathComponent(UUID().uuidString)
    }

    func removeFiles() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Writes the bundle into a fresh directory and returns its path.
    func write(
        from first: Int64 = 1, filter: EvidenceFilter = EvidenceFilter(), signer: Curve25519.Signing.PrivateKey? = nil
    ) throws -> URL {
        let directory = newPath()
        try EvidenceBundleWriter(signingKey: signer ?? key).write(export(from: first, filter: filter), to: directory)
        return directory
    }

    static func close(_ session: String, _ recording: [RecordingEvent]) -> AuditDraft {
        AuditDraft(
            actor: "broker", action: .sessionClose, resource: "pg", session: session, decision: .info,
            details: [
                "status": "closed", "recording_digest": .string(recording.last!.hash),
                "recording_events": .int(Int64(recording.count)),
            ])
    }

    static func recording(session: String) -> [UInt8] {
        let bodies: [(RecordingKind, RecordingDirection?, String?, JSONValue)] = [
            (.start, nil, nil, ["session": .string(session)]),
            (.open, nil, nil, ["peer": "127.0.0.1"]),
            (.query, .up, nil, ["protocol": "simple", "sql": "SELECT 1"]),
            (.data, .down, Data("one row".utf8).base64EncodedString(), [:]),
            (.result, .down, nil, ["tag": "SELECT 1"]),
            (.close, nil, nil, [:]),
            (.end, nil, nil, ["status": "closed"]),
        ]
        var lines: [String] = []
        var prev = HashChain.genesis
        for (index, body) in bodies.enumerated() {
            let event = RecordingEvent(
                seq: Int64(index + 1), t: Int64(index) * 1000, kind: body.0, conn: index == 0 || index == 6 ? 0 : 1,
                dir: body.1, data: body.2, details: body.3, prev: prev)
            prev = event.hash
            lines.append(event.jsonLine)
        }
        return JSONLines.join(lines)
    }
}

/// Edits a written bundle the way someone covering their tracks would, then (unless told otherwise) brings the
/// manifest's file digests up to date so the verifier must find the edit in the evidence itself.
struct EvidenceBundleTamperer {
    let directory: URL

    func lines(_ path: String) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func edit(_ path: String, refresh: Bool = true, _ change: (inout [String]) throws -> Void) throws {
        var content = try lines(path)
        try change(&content)
        try Data(JSONLines.join(content)).write(to: directory.appendingPathComponent(path))
        if refresh { try refreshManifest() }
    }

    func replace(_ path: String, with text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(path))
        try refreshManifest()
    }

    func delete(_ path: String) throws {
        try FileManager.default.removeItem(at: directory.appendingPathComponent(path))
        try refreshManifest()
    }

    /// Rewrites the manifest's digests from the files now present (the seal does not cover them).
    func refreshManifest() throws {
        let url = directory.appendingPathComponent(BundleLayout.manifest)
        var manifest = try BundleManifest(json: Array(try Data(contentsOf: url)))
        let bundle = try EvidenceBundleReader.read(from: directory)
        manifest.files = bundle.files.filter { $0.key != BundleLayout.manifest }.mapValues(BundleManifest.digest)
        try Data(manifest.json).write(to: url)
    }

    func verify(pinned key: Curve25519.Signing.PrivateKey?) throws -> BundleVerificationReport {
        BundleVerifier.verify(
            try EvidenceBundleReader.read(from: directory), pinnedKey: key.map { AuditPublicKey($0.publicKey) })
    }
}

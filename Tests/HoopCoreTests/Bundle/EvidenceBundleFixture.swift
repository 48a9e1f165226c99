import Crypto
import Foundation
import HoopCore

/// A small broker history for bundle tests: 53 audit events in the log's tree, two sealed sessions (`ses_a` with
/// its recording file, `ses_b` pruned to a tombstone), a witness that cosigns where a test asks, all written under a
/// temporary directory of its own that `removeFiles()` deletes.
struct EvidenceBundleFixture {
    static let time = "2026-11-21T10:00:00.000Z"
    static let origin = "audit.example.test/prod"
    static let witnessName = "witness.example.test/w1"

    let root: URL
    let key: Curve25519.Signing.PrivateKey
    let witness: Curve25519.Signing.PrivateKey
    let events: [AuditEvent]
    let tree: MemoryMerkleTree
    let rotation: (seq: Int64, to: Curve25519.Signing.PrivateKey)?
    let recordingA: [UInt8]
    let tombstoneB: RecordingTombstone

    /// `drafts` replaces the event at a seq (approval scenarios, say).
    init(
        rotation: (seq: Int64, to: Curve25519.Signing.PrivateKey)? = nil, count: Int64 = 53,
        drafts: [Int64: AuditDraft] = [:]
    ) throws {
        try self.init(
            root: FileManager.default.temporaryDirectory.appendingPathComponent("hoop-evidence-\(UUID().uuidString)"),
            key: Curve25519.Signing.PrivateKey(), witness: Curve25519.Signing.PrivateKey(), rotation: rotation,
            count: count, drafts: drafts)
    }

    /// Another history under the same keys and directory: what an operator holding the audit key could forge.
    init(copying other: EvidenceBundleFixture, drafts: [Int64: AuditDraft]) throws {
        try self.init(
            root: other.root, key: other.key, witness: other.witness, rotation: other.rotation,
            count: Int64(other.events.count), drafts: drafts)
    }

    private init(
        root: URL, key: Curve25519.Signing.PrivateKey, witness: Curve25519.Signing.PrivateKey,
        rotation: (seq: Int64, to: Curve25519.Signing.PrivateKey)?, count: Int64, drafts: [Int64: AuditDraft]
    ) throws {
        self.root = root
        self.key = key
        self.witness = witness
        self.rotation = rotation
        recordingA = Self.recording(session: "ses_a")
        let eventsA = try RecordingFile.events(in: recordingA)
        let recordingB = try RecordingFile.events(in: Self.recording(session: "ses_b"))
        tombstoneB = try RecordingTombstone.sign(
            session: "ses_b", digest: recordingB.last!.hash, events: Int64(recordingB.count), prunedAt: Self.time,
            reason: "retention: 90 days", key: rotation?.to ?? key)
        var events: [AuditEvent] = []
        var tree = MemoryMerkleTree()
        for seq in Int64(1)...count {
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
                    actor: "broker", afterSeq: seq - 1, afterHash: tree.root.hex, oldKey: key,
                    newKey: AuditPublicKey(rotation!.to.publicKey))
            default: break
            }
            if let replacement = drafts[seq] { draft = replacement }
            let event = AuditEvent(
                seq: seq, time: Self.time, actor: draft.actor, action: draft.action.rawValue, resource: draft.resource,
                session: draft.session, decision: draft.decision, details: draft.details)
            events.append(event)
            tree.append(event.leafHash)
        }
        self.events = events
        self.tree = tree
    }

    var witnessKey: NoteVerifierKey {
        NoteVerifierKey(
            name: Self.witnessName, kind: .cosignature, publicKey: Array(witness.publicKey.rawRepresentation))
    }

    /// The audit key that signs a checkpoint of `size`.
    func signer(forSize size: Int64) -> Curve25519.Signing.PrivateKey {
        if let rotation, size >= rotation.seq { return rotation.to }
        return key
    }

    /// The broker's checkpoint of the first `size` events, cosigned by the fixture's witness when asked.
    func checkpoint(size: Int64, cosigned: Bool = false) throws -> SignedNote {
        let head = TreeCheckpoint(origin: Self.origin, size: size, root: try tree.rootHash(size: size))
        var note = try head.signed(by: signer(forSize: size))
        if cosigned {
            note.signatures.append(
                try Cosignature.sign(head, name: Self.witnessName, key: witness, timestamp: 1_790_000_000))
        }
        return note
    }

    /// An export of events `first`...`size`, optionally with the witness's cosignature at `witnessedAt`.
    func export(
        from first: Int64 = 1, size: Int64? = nil, filter: EvidenceFilter = EvidenceFilter(),
        witnessedAt: Int64? = nil
    ) throws -> EvidenceExport {
        let size = size ?? Int64(events.count)
        let prefix = try MerkleMath.compactRange(count: first - 1).map {
            ($0, try tree.node(level: $0.level, index: $0.index))
        }
        return EvidenceExport(
            origin: Self.origin, prefix: prefix, events: Array(events[Int(first - 1)..<Int(size)]),
            checkpoint: try checkpoint(size: size, cosigned: witnessedAt == size),
            witnessed: try witnessedAt.flatMap { $0 < size ? try checkpoint(size: $0, cosigned: true) : nil },
            rotations: rotations, recordings: ["ses_a": recordingA], tombstones: [tombstoneB], filter: filter,
            broker: BrokerIdentity(id: "broker-1", fingerprint: "SHA256 ab:cd"), exportedAt: Self.time)
    }

    var rotations: [KeyRotation] {
        events.filter { $0.kind == .auditKeyRotated }.compactMap { try? KeyRotation(event: $0) }
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
        from first: Int64 = 1, size: Int64? = nil, filter: EvidenceFilter = EvidenceFilter(),
        witnessedAt: Int64? = nil, signer: Curve25519.Signing.PrivateKey? = nil
    ) throws -> URL {
        let directory = newPath()
        let export = try export(from: first, size: size, filter: filter, witnessedAt: witnessedAt)
        try EvidenceBundleWriter(signingKey: signer ?? self.signer(forSize: Int64(events.count))).write(
            export, to: directory)
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

    /// The `recording.seal` another broker writes for its segment `name` of `session`.
    static func seal(_ session: String, name: String, _ recording: [RecordingEvent]) -> AuditDraft {
        AuditDraft(
            actor: "broker", action: .recordingSeal, resource: "pg", session: session, decision: .info,
            details: [
                "recording": .string(name), "recording_digest": .string(recording.last!.hash),
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

    func verify(
        pinned key: Curve25519.Signing.PrivateKey?, witnesses: [NoteVerifierKey] = [], minWitnesses: Int? = nil,
        previous: [SignedNote] = [], shipped: [SignedNote] = []
    ) throws -> BundleVerificationReport {
        BundleVerifier.verify(
            try EvidenceBundleReader.read(from: directory),
            trust: BundleTrust(
                pinnedKey: key.map { AuditPublicKey($0.publicKey) }, witnessKeys: witnesses,
                minWitnesses: minWitnesses,
                previous: previous.map { PreviousCheckpoint($0, from: .bundle) }
                    + shipped.map { PreviousCheckpoint($0, from: .checkpointFile) }))
    }
}

import Crypto
import Foundation
import HoopCore
import Testing

/// Each test manipulates a written bundle on disk and checks the verifier names the break exactly.
@Suite("Evidence bundle: tampering is detected and named")
final class EvidenceBundleTamperTests {
    let fixture: EvidenceBundleFixture
    let tamperer: EvidenceBundleTamperer

    init() throws {
        fixture = try EvidenceBundleFixture()
        tamperer = EvidenceBundleTamperer(directory: try fixture.write())
    }

    deinit {
        fixture.removeFiles()
    }

    private func problem(pinned: Curve25519.Signing.PrivateKey? = nil) throws -> String? {
        try tamperer.verify(pinned: pinned ?? fixture.key).problem?.description
    }

    @Test("a change no other check can see is still caught by the file's digest")
    func manifestDigest() throws {
        try tamperer.edit("pubkey", refresh: false) { $0.append("") }
        #expect(try problem() == "manifest: pubkey digest mismatch")
    }

    @Test("a deleted event without a refreshed manifest is reported where it is, not as a digest mismatch")
    func editReportedAtItsLink() throws {
        try tamperer.edit("events.jsonl", refresh: false) { $0.remove(at: 39) }
        let found = try problem()
        #expect(found == "events.jsonl line 40 (seq 41): seq 40 missing (deleted or reordered)")
    }

    @Test("a file added after export is refused")
    func addedFile() throws {
        try Data("x".utf8).write(to: tamperer.directory.appendingPathComponent("notes.txt"))
        #expect(try problem() == "manifest: notes.txt is not listed (added after export)")
    }

    @Test("deleting an event line")
    func deleteEvent() throws {
        try tamperer.edit("events.jsonl") { $0.remove(at: 39) }
        #expect(try problem() == "events.jsonl line 40 (seq 41): seq 40 missing (deleted or reordered)")
    }

    @Test("editing an event")
    func editEvent() throws {
        try tamperer.edit("events.jsonl") { lines in
            lines[41] = lines[41].replacingOccurrences(of: #""actor":"alice""#, with: #""actor":"bob""#)
        }
        #expect(try problem() == "events.jsonl line 42 (seq 42): content does not match its leaf hash (edited)")
    }

    @Test("reordering two events")
    func reorderEvents() throws {
        try tamperer.edit("events.jsonl") { $0.swapAt(39, 40) }
        #expect(try problem() == "events.jsonl line 40 (seq 41): seq 40 missing (deleted or reordered)")
    }

    @Test("inserting a forged event")
    func insertForgedEvent() throws {
        let forged = AuditEvent(
            seq: 41, time: EvidenceBundleFixture.time, actor: "mallory", action: "query", resource: "pg",
            session: nil, decision: .allow, details: [:])
        try tamperer.edit("events.jsonl") { $0.insert(forged.jsonLine, at: 40) }
        #expect(
            try problem()
                == "events.jsonl line 42 (seq 41): seq 41 repeated or out of order where seq 42 belongs "
                + "(inserted or reordered)")
    }

    @Test("an edited event with its leaf hash recomputed no longer gives the signed root")
    func rehashedEvent() throws {
        try tamperer.edit("events.jsonl") { lines in
            var event = try AuditEvent(jsonLine: Array(lines[41].utf8))
            event.actor = "bob"
            event.hash = event.leafHash.hex
            lines[41] = event.jsonLine
        }
        #expect(try problem() == Self.rootMismatch)
    }

    @Test("reordering two events and renumbering them, hashes recomputed, no longer gives the signed root")
    func reorderedAndRenumbered() throws {
        try tamperer.edit("events.jsonl") { lines in
            let first = fixture.events[39]
            let second = fixture.events[40]
            lines[39] = Self.renumbered(second, seq: 40).jsonLine
            lines[40] = Self.renumbered(first, seq: 41).jsonLine
        }
        #expect(try problem() == Self.rootMismatch)
    }

    @Test("truncating the tail")
    func truncateTail() throws {
        try tamperer.edit("events.jsonl") { $0.removeLast(2) }
        #expect(try problem() == "events.jsonl: events end at seq 51 but the checkpoint covers seq 53 (truncated)")
    }

    @Test("truncating the tail and editing the manifest's size breaks the seal")
    func truncateAndReseal() throws {
        try tamperer.edit("events.jsonl") { $0.removeLast(10) }
        let url = tamperer.directory.appendingPathComponent("manifest.json")
        var manifest = try BundleManifest(json: Array(try Data(contentsOf: url)))
        manifest.treeSize = 43
        manifest.root = try fixture.tree.rootHash(size: 43).hex
        try Data(manifest.json).write(to: url)
        #expect(
            try problem() == "manifest.json: seal signature invalid (the export's range, time or filters were edited)")
    }

    @Test("dropping the head of the log")
    func dropHead() throws {
        try tamperer.edit("events.jsonl") { $0.removeFirst(3) }
        #expect(try problem() == "events.jsonl line 1 (seq 4): seq 1 missing (deleted or reordered)")
    }

    @Test("replaying an older checkpoint in place of the one the export ends at")
    func replayedCheckpoint() throws {
        let older = try fixture.checkpoint(size: 40)
        try tamperer.replace("checkpoint.note", with: older.serialized)
        let root = try fixture.tree.rootHash(size: 40).hex
        #expect(
            try problem()
                == "checkpoint.note: is size 40 root \(root), but the export was sealed at size 53 root "
                + "\(fixture.tree.root.hex) (checkpoint replaced or replayed)")
    }

    @Test("forging the checkpoint's signature")
    func forgeCheckpoint() throws {
        let attacker = Curve25519.Signing.PrivateKey()
        let head = TreeCheckpoint(origin: EvidenceBundleFixture.origin, size: 53, root: fixture.tree.root)
        var forged = try head.signed(by: attacker)
        forged.signatures[0].keyID = AuditPublicKey(fixture.key.publicKey).noteKey(origin: head.origin).keyID
        try tamperer.replace("checkpoint.note", with: forged.serialized)
        #expect(
            try problem()
                == "checkpoint.note: the checkpoint's signature by \(AuditPublicKey(fixture.key.publicKey)) is invalid "
                + "(forged, or signed by another key)")
    }

    @Test("editing a recording line")
    func editRecording() throws {
        try tamperer.edit("recordings/ses_a.jsonl") { lines in
            var event = try RecordingEvent(jsonLine: Array(lines[3].utf8))
            event.data = Data("other row".utf8).base64EncodedString()
            lines[3] = event.jsonLine
        }
        #expect(try problem() == "recording ses_a line 4 (seq 4): content does not match its hash (edited)")
    }

    @Test("rewriting a recording with fresh hashes no longer matches the sealed digest")
    func rewriteRecording() throws {
        try tamperer.edit("recordings/ses_a.jsonl") { lines in
            var prev = HashChain.genesis
            for index in lines.indices {
                let event = try RecordingEvent(jsonLine: Array(lines[index].utf8))
                let rewritten = RecordingEvent(
                    seq: event.seq, t: event.t, kind: event.kind, conn: event.conn, dir: event.dir,
                    data: index == 3 ? Data("other row".utf8).base64EncodedString() : event.data,
                    details: event.details, prev: prev)
                prev = rewritten.hash
                lines[index] = rewritten.jsonLine
            }
        }
        #expect(try problem() == "recording ses_a: digest mismatch (recording edited, referenced by seq 31)")
    }

    @Test("deleting a recording")
    func deleteRecording() throws {
        try tamperer.delete("recordings/ses_a.jsonl")
        #expect(try problem() == "recording ses_a: referenced by seq 31 is missing")
    }

    @Test("truncating a recording")
    func truncateRecording() throws {
        try tamperer.edit("recordings/ses_a.jsonl") { $0.removeLast() }
        #expect(
            try problem()
                == "recording ses_a: ends at seq 6 without an end event (truncated, referenced by seq 31)")
    }

    @Test("swapping a tombstone's digest")
    func swapTombstoneDigest() throws {
        let path = "recordings/ses_b.tombstone.json"
        var tombstone = try RecordingTombstone(
            json: Array(try Data(contentsOf: tamperer.directory.appendingPathComponent(path))))
        tombstone.digest = fixture.events[0].hash
        try tamperer.replace(path, with: tombstone.json)
        #expect(try problem() == "recording ses_b: tombstone signature invalid (tombstone edited or forged)")
    }

    @Test("a tombstone signed by another key is not accepted")
    func foreignTombstone() throws {
        let attacker = Curve25519.Signing.PrivateKey()
        let forged = try RecordingTombstone.sign(
            session: "ses_b", digest: fixture.tombstoneB.digest, events: fixture.tombstoneB.events,
            prunedAt: EvidenceBundleFixture.time, reason: "retention", key: attacker)
        try tamperer.replace("recordings/ses_b.tombstone.json", with: forged.json)
        #expect(
            try problem()
                == "recording ses_b: tombstone signed by \(AuditPublicKey(attacker.publicKey)), which is not a trusted "
                + "audit key")
    }

    @Test("replacing the pubkey fails against the auditor's genuine key")
    func replacedPubkey() throws {
        let attacker = Curve25519.Signing.PrivateKey()
        try tamperer.replace("pubkey", with: AuditPublicKey(attacker.publicKey).text + "\n")
        let expected =
            "pubkey: the bundle's key \(AuditPublicKey(attacker.publicKey)) is not the trusted key "
            + "\(AuditPublicKey(fixture.key.publicKey)), and no key rotation in the bundle leads to it (key replaced, "
            + "or the bundle is from another broker)"
        #expect(try problem() == expected)
    }

    @Test("a bundle re-signed throughout by an attacker verifies only against its own key")
    func resignedBundle() throws {
        let attacker = Curve25519.Signing.PrivateKey()
        var export = try fixture.export()
        export.events[41] = Self.renumbered(
            AuditEvent(
                seq: 42, time: EvidenceBundleFixture.time, actor: "bob", action: "query", resource: "pg",
                session: nil, decision: .allow, details: [:]), seq: 42)
        let forgedTree = MemoryMerkleTree(leaves: export.events.map(\.leafHash))
        export.checkpoint = try TreeCheckpoint(origin: EvidenceBundleFixture.origin, size: 53, root: forgedTree.root)
            .signed(by: attacker)
        export.tombstones = []
        export.recordings["ses_b"] = EvidenceBundleFixture.recording(session: "ses_b")
        let directory = fixture.newPath()
        try EvidenceBundleWriter(signingKey: attacker).write(export, to: directory)
        let forged = EvidenceBundleTamperer(directory: directory)
        #expect(try forged.verify(pinned: nil).ok)
        #expect(
            try forged.verify(pinned: fixture.key).problem?.description.hasPrefix(
                "pubkey: the bundle's key \(AuditPublicKey(attacker.publicKey)) is not the trusted key") == true)
    }

    static let rootMismatch =
        "events.jsonl: the events do not produce the signed root at size 53: an event was deleted, inserted, "
        + "reordered or rewritten with its hash recomputed, or the prefix was altered"

    /// `event` moved to `seq`, its leaf hash recomputed, as an editor covering their tracks would.
    static func renumbered(_ event: AuditEvent, seq: Int64) -> AuditEvent {
        AuditEvent(
            seq: seq, time: event.time, actor: event.actor, action: event.action, resource: event.resource,
            session: event.session, decision: event.decision, details: event.details)
    }
}

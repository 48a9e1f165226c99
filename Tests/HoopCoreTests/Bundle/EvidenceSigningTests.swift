import Crypto
import Foundation
import HoopCore
import Testing

@Suite("Evidence signatures: checkpoints, key rotations, tombstones")
struct EvidenceSigningTests {
    let key = Curve25519.Signing.PrivateKey()
    let hash = String(repeating: "ab", count: 32)

    @Test("a checkpoint verifies under the key that signed it and survives its JSON line")
    func checkpointRoundTrip() throws {
        let checkpoint = try Checkpoint.sign(
            seq: 42, hash: hash, time: "2026-11-21T10:00:00.000Z", previous: 40, key: key)
        #expect(checkpoint.verify(publicKey: AuditPublicKey(key.publicKey)))
        let parsed = try Checkpoint(jsonLine: Array(checkpoint.jsonLine.utf8))
        #expect(parsed == checkpoint)
        #expect(parsed.verify(publicKey: AuditPublicKey(key.publicKey)))
    }

    @Test("a checkpoint does not verify under another key")
    func checkpointWrongKey() throws {
        let checkpoint = try Checkpoint.sign(seq: 1, hash: hash, time: "t", previous: 0, key: key)
        #expect(!checkpoint.verify(publicKey: AuditPublicKey(Curve25519.Signing.PrivateKey().publicKey)))
    }

    @Test("editing any signed field of a checkpoint breaks its signature")
    func checkpointEdited() throws {
        let original = try Checkpoint.sign(seq: 7, hash: hash, time: "t", previous: 3, key: key)
        let publicKey = AuditPublicKey(key.publicKey)
        var seq = original
        seq.seq = 8
        var digest = original
        digest.hash = String(repeating: "cd", count: 32)
        var time = original
        time.time = "u"
        var previous = original
        previous.previous = 2
        for edited in [seq, digest, time, previous] {
            #expect(!edited.verify(publicKey: publicKey))
        }
    }

    @Test("a checkpoint line with an unknown field or version is refused")
    func checkpointStrictParsing() throws {
        let line = try Checkpoint.sign(seq: 1, hash: hash, time: "t", previous: 0, key: key).jsonLine
        let extra = line.replacingOccurrences(of: "{", with: #"{"note":"x","#)
        #expect(throws: EvidenceFormatError("unexpected field \"note\"")) {
            try Checkpoint(jsonLine: Array(extra.utf8))
        }
        let future = line.replacingOccurrences(of: #""v":1"#, with: #""v":2"#)
        #expect(throws: EvidenceFormatError("unsupported format version 2")) {
            try Checkpoint(jsonLine: Array(future.utf8))
        }
    }

    @Test("audit keys print and parse as ed25519:<base64>")
    func publicKeyText() throws {
        let publicKey = AuditPublicKey(key.publicKey)
        #expect(publicKey.text == "ed25519:" + key.publicKey.rawRepresentation.base64EncodedString())
        #expect(try AuditPublicKey(text: publicKey.text + "\n") == publicKey)
        #expect(throws: EvidenceFormatError.self) { try AuditPublicKey(text: "ssh-ed25519 AAAA") }
        #expect(throws: EvidenceFormatError.self) { try AuditPublicKey(text: "ed25519:AAAA") }
    }

    @Test("a key rotation event carries a hand-over the old key signed, and nothing else verifies")
    func keyRotation() throws {
        let newKey = Curve25519.Signing.PrivateKey()
        let draft = try KeyRotation.auditDraft(
            actor: "broker", afterSeq: 9, afterHash: hash, oldKey: key, newKey: AuditPublicKey(newKey.publicKey))
        #expect(draft.action.rawValue == "audit.key_rotated")
        let event = AuditEvent(
            seq: 10, time: "t", actor: draft.actor, action: draft.action.rawValue, resource: nil, session: nil,
            decision: draft.decision, details: draft.details, prev: hash)
        let rotation = try KeyRotation(event: event)
        #expect(rotation.seq == 10 && rotation.afterSeq == 9)
        #expect(rotation.from == AuditPublicKey(key.publicKey) && rotation.to == AuditPublicKey(newKey.publicKey))
        #expect(rotation.isSignatureValid)
        #expect(try KeyRotation(jsonLine: Array(rotation.jsonLine.utf8)) == rotation)
        var hijacked = rotation
        hijacked.to = AuditPublicKey(Curve25519.Signing.PrivateKey().publicKey)
        #expect(!hijacked.isSignatureValid)
    }

    @Test("a tombstone verifies, survives its JSON, and breaks when its digest is swapped")
    func tombstone() throws {
        let tombstone = try RecordingTombstone.sign(
            session: "ses_1", digest: hash, events: 12, prunedAt: "2026-11-21T10:00:00.000Z", reason: "retention",
            key: key)
        #expect(tombstone.isSignatureValid)
        #expect(try RecordingTombstone(json: Array(tombstone.json.utf8)) == tombstone)
        var swapped = tombstone
        swapped.digest = String(repeating: "00", count: 32)
        #expect(!swapped.isSignatureValid)
        #expect(RecordingTombstone.fileName(session: "ses_1") == "ses_1.tombstone.json")
    }
}

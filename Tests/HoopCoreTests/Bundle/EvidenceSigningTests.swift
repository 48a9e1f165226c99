import Crypto
import Foundation
import HoopCore
import Testing

@Suite("Evidence signatures: checkpoint notes, cosignatures, key rotations, tombstones")
struct EvidenceSigningTests {
    let key = Curve25519.Signing.PrivateKey()
    let hash = String(repeating: "ab", count: 32)

    private var head: TreeCheckpoint {
        TreeCheckpoint(origin: "audit.example.test/prod", size: 42, root: TreeHash.leaf(Array("x".utf8)))
    }

    @Test("a checkpoint is a C2SP note: three lines, a blank line, the origin's signature line")
    func checkpointNote() throws {
        let note = try head.signed(by: key)
        let lines = note.serialized.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)
        #expect(lines[0] == "audit.example.test/prod" && lines[1] == "42" && lines[2] == Substring(head.root.base64))
        #expect(lines[3].isEmpty && lines[5].isEmpty)
        #expect(lines[4].hasPrefix("\u{2014} audit.example.test/prod "))
        let parsed = try SignedNote(parsing: note.serialized)
        #expect(parsed == note)
        #expect(try LogCheckpoint(note: parsed, logKey: AuditPublicKey(key.publicKey)).checkpoint == head)
    }

    @Test("a checkpoint does not verify under another key, nor after any line of it is edited")
    func checkpointTampered() throws {
        let note = try head.signed(by: key)
        let other = AuditPublicKey(Curve25519.Signing.PrivateKey().publicKey)
        #expect(throws: EvidenceFormatError.self) { try LogCheckpoint(note: note, logKey: other) }
        for edit in [("42\n", "43\n"), ("prod\n", "test\n")] {
            var edited = note
            edited.text = edited.text.replacingOccurrences(of: edit.0, with: edit.1)
            #expect(throws: EvidenceFormatError.self) {
                try LogCheckpoint(note: edited, logKey: AuditPublicKey(key.publicKey))
            }
        }
    }

    @Test("notes and checkpoint bodies are parsed strictly")
    func strictParsing() throws {
        let note = try head.signed(by: key).serialized
        #expect(throws: EvidenceFormatError.self) {
            try SignedNote(parsing: note.replacingOccurrences(of: "\n\n", with: "\n"))
        }
        #expect(throws: EvidenceFormatError.self) { try SignedNote(parsing: note + "extra") }
        #expect(throws: EvidenceFormatError.self) {
            try SignedNote(parsing: note.replacingOccurrences(of: "42", with: "4\u{7}2"))
        }
        #expect(throws: EvidenceFormatError.self) { try TreeCheckpoint(body: "o\n042\n\(head.root.base64)\n") }
        #expect(throws: EvidenceFormatError.self) { try TreeCheckpoint(body: "o\n42\n\(head.root.base64)\next\n") }
        #expect(throws: EvidenceFormatError.self) { try TreeCheckpoint(body: "o p\n42\n\(head.root.base64)\n") }
    }

    @Test("verifier keys carry their type in the key ID, and a key whose base64 holds a plus still parses")
    func verifierKeys() throws {
        for _ in 0..<20 {
            let raw = Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
            let log = NoteVerifierKey(name: "log.example/a", kind: .ed25519, publicKey: raw)
            let witness = NoteVerifierKey(name: "log.example/a", kind: .cosignature, publicKey: raw)
            #expect(log.keyID != witness.keyID)
            #expect(try NoteVerifierKey(text: log.text) == log)
            #expect(try NoteVerifierKey(text: witness.text) == witness)
        }
        let raw = Array(key.publicKey.rawRepresentation)
        let text = NoteVerifierKey(name: "w", kind: .cosignature, publicKey: raw).text
        let wrongID = "w+00000000+" + text.split(separator: "+", maxSplits: 2)[2]
        #expect(throws: EvidenceFormatError("the key ID of w does not match its key")) {
            try NoteVerifierKey(text: wrongID)
        }
    }

    @Test("a cosignature verifies for its checkpoint only, and its timestamp is what the witness signed")
    func cosignatures() throws {
        let witness = Curve25519.Signing.PrivateKey()
        let vkey = NoteVerifierKey(
            name: "w.example/1", kind: .cosignature, publicKey: Array(witness.publicKey.rawRepresentation))
        var note = try head.signed(by: key)
        note.signatures.append(try Cosignature.sign(head, name: vkey.name, key: witness, timestamp: 1_700_000_000))
        #expect(try Cosignature.find(by: vkey, on: note)?.timestamp == 1_700_000_000)
        var moved = try TreeCheckpoint(origin: head.origin, size: 43, root: head.root).signed(by: key)
        moved.signatures.append(note.signatures[1])
        #expect(throws: EvidenceFormatError.self) { try Cosignature.find(by: vkey, on: moved) }
        let stranger = NoteVerifierKey(
            name: "w.example/2", kind: .cosignature,
            publicKey: Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation))
        #expect(try Cosignature.find(by: stranger, on: note) == nil)
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
            decision: draft.decision, details: draft.details)
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
        #expect(RecordingTombstone.fileName(name: "ses_1") == "ses_1.tombstone.json")
    }
}

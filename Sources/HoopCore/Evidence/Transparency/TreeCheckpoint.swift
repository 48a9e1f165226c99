import Crypto
import Foundation

/// The audit log's signed tree head in the C2SP tlog-checkpoint form: the origin (which deployment's log), the
/// tree size and the root hash, one per line. The broker signs it as a note under the origin's name with its
/// audit key; witnesses add their cosignatures to the same note.
package struct TreeCheckpoint: Sendable, Hashable {
    package var origin: String
    package var size: Int64
    package var root: TreeHash

    package init(origin: String, size: Int64, root: TreeHash) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text every signature covers.
    package var body: String {
        "\(origin)\n\(size)\n\(root.base64)\n"
    }

    /// Reads a checkpoint body: exactly the three lines, the size in canonical decimal. Extension lines are
    /// refused, since this log writes none and nothing could audit them.
    package init(body: String) throws(EvidenceFormatError) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty else {
            throw EvidenceFormatError("a checkpoint is three lines (origin, size, root hash)")
        }
        guard NoteKeyName.isValid(lines[0]) else {
            throw EvidenceFormatError("the checkpoint's origin is empty or holds a space or a plus")
        }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw EvidenceFormatError("the checkpoint's size \"\(lines[1])\" is not a canonical decimal")
        }
        guard let root = TreeHash(base64: lines[2]) else {
            throw EvidenceFormatError("the checkpoint's root hash is not 32 bytes of base64")
        }
        self.init(origin: String(lines[0]), size: size, root: root)
    }

    /// The checkpoint as a note signed by the log's key: `signer`'s signature over `body`, under the origin.
    package func signed(by signer: any EvidenceSigner) throws -> SignedNote {
        let key = signer.auditPublicKey.noteKey(origin: origin)
        let signature = try signer.signature(over: Array(body.utf8))
        return SignedNote(text: body, signatures: [NoteSignature(name: origin, keyID: key.keyID, payload: signature)])
    }
}

/// A note read as a checkpoint of a known log: its body parsed, and the log's own signature verified.
package struct LogCheckpoint: Sendable, Equatable {
    package var checkpoint: TreeCheckpoint
    package var note: SignedNote

    /// Parses `note` and requires a valid signature by `logKey` (the audit key in effect at the checkpoint's size,
    /// named by the origin).
    package init(note: SignedNote, logKey: AuditPublicKey) throws(EvidenceFormatError) {
        let checkpoint = try TreeCheckpoint(body: note.text)
        let key = logKey.noteKey(origin: checkpoint.origin)
        guard let signature = key.signatures(in: note).first else {
            throw EvidenceFormatError("the checkpoint carries no signature by the log key \(logKey)")
        }
        guard let verifier = key.signingKey,
            verifier.isValidSignature(signature.payload, for: Array(note.text.utf8))
        else {
            throw EvidenceFormatError("the checkpoint's signature by \(logKey) is invalid")
        }
        self.checkpoint = checkpoint
        self.note = note
    }
}

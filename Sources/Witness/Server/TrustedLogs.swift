import Crypto
package import HoopCore

/// The logs a witness cosigns for. C2SP names a log by its checkpoints' origin line and signs under a key of the
/// same name, so each log's verifier key alone configures it; several keys for one origin are all trusted (a log
/// that rotates its key).
package struct TrustedLogs: Sendable {
    private let keys: [String: [AuditPublicKey]]

    /// Refuses a key that is not a log's Ed25519 checkpoint key, such as a witness's cosignature key.
    package init(_ vkeys: [NoteVerifierKey]) throws(WitnessSetupError) {
        var keys: [String: [AuditPublicKey]] = [:]
        for vkey in vkeys {
            guard vkey.kind == .ed25519, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: vkey.publicKey)
            else { throw .notALogKey(vkey) }
            keys[vkey.name, default: []].append(AuditPublicKey(key))
        }
        self.keys = keys
    }

    package var origins: [String] { keys.keys.sorted() }

    /// The checkpoint `note` holds, once a trusted key of its origin is found to have signed it. Signature lines of
    /// other keys are ignored, as the protocol requires.
    func verify(_ note: SignedNote) throws(AddCheckpointRefusal) -> LogCheckpoint {
        let checkpoint: TreeCheckpoint
        do {
            checkpoint = try TreeCheckpoint(body: note.text)
        } catch {
            throw .malformed("the checkpoint: \(error.reason)")
        }
        guard let trusted = keys[checkpoint.origin] else { throw .unknownOrigin(checkpoint.origin) }
        for key in trusted {
            if let verified = try? LogCheckpoint(note: note, logKey: key) { return verified }
        }
        throw .untrusted(checkpoint.origin)
    }
}

package import Crypto
package import Foundation
package import HoopCore

/// Who the witness is: the name its cosignatures carry and the Ed25519 key that makes them. Logs and auditors pin
/// its verifier key, whose type byte (0x04, a timestamped cosignature) keeps it from passing for a log's key.
package struct WitnessIdentity: Sendable {
    package let name: String
    package let key: Curve25519.Signing.PrivateKey

    /// `name` must be a valid note key name (no spaces, no `+`); a schema-less URL is the convention.
    package init(name: String, key: Curve25519.Signing.PrivateKey = .init()) throws(WitnessSetupError) {
        guard NoteKeyName.isValid(name) else { throw .invalidName(name) }
        self.name = name
        self.key = key
    }

    /// The vkey a log's operator configures to accept this witness's cosignatures.
    package var vkey: NoteVerifierKey {
        NoteVerifierKey(name: name, kind: .cosignature, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// The cosignature line on `checkpoint`, timestamped `time` (whole seconds since the epoch).
    package func cosign(_ checkpoint: TreeCheckpoint, at time: Date) throws -> NoteSignature {
        let seconds = UInt64(max(0, time.timeIntervalSince1970.rounded(.down)))
        return try Cosignature.sign(checkpoint, name: name, key: key, timestamp: seconds)
    }
}

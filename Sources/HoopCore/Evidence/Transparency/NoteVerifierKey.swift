import Crypto
import Foundation

/// A signer's public key as notes name it (C2SP signed-note "vkey"): `<name>+<hex key ID>+<base64(type || key)>`.
/// The type byte keeps a log's checkpoint key (`0x01`, plain Ed25519) and a witness's cosigning key (`0x04`, a
/// timestamped cosignature) apart, and it is part of the key ID, so a signature of one kind never passes as the
/// other.
package struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    package enum Kind: UInt8, Sendable {
        /// A note signed with Ed25519: the broker's checkpoints.
        case ed25519 = 0x01
        /// A timestamped Ed25519 cosignature (C2SP tlog-cosignature): the witnesses'.
        case cosignature = 0x04
    }

    package var name: String
    package var kind: Kind
    /// The 32 raw Ed25519 public key bytes.
    package var publicKey: [UInt8]

    package init(name: String, kind: Kind, publicKey: [UInt8]) {
        self.name = name
        self.kind = kind
        self.publicKey = publicKey
    }

    /// `SHA-256(name || 0x0A || type || key)[:4]`.
    package var keyID: [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, kind.rawValue] + publicKey).prefix(4))
    }

    package var text: String {
        name + "+" + keyID.hexString + "+" + Data([kind.rawValue] + publicKey).base64EncodedString()
    }

    package var description: String { text }

    /// Parses the text form and checks its key ID against the key, so a hand-edited vkey is refused.
    package init(text: String) throws(EvidenceFormatError) {
        // The name has no `+`, but the base64 key may: split at the first two only.
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, NoteKeyName.isValid(fields[0]) else {
            throw EvidenceFormatError("a verifier key is `<name>+<hex key ID>+<base64 key>`")
        }
        guard let material = Data(base64Encoded: String(fields[2])), material.count == 33,
            let kind = Kind(rawValue: material[material.startIndex])
        else {
            throw EvidenceFormatError(
                "the key of \(fields[0]) is not an Ed25519 (type 01) or cosignature (type 04) key")
        }
        self.init(name: String(fields[0]), kind: kind, publicKey: Array(material.dropFirst()))
        guard keyID.hexString == fields[1].lowercased() else {
            throw EvidenceFormatError("the key ID of \(fields[0]) does not match its key")
        }
    }

    /// The signature lines of `note` this key made, by name and key ID; others are ignored, as the format says.
    package func signatures(in note: SignedNote) -> [NoteSignature] {
        let id = keyID
        return note.signatures.filter { $0.name == name && $0.keyID == id }
    }

    var signingKey: Curve25519.Signing.PublicKey? {
        try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
    }
}

extension AuditPublicKey {
    /// This audit key as the verifier key of a log named `origin`.
    package func noteKey(origin: String) -> NoteVerifierKey {
        NoteVerifierKey(name: origin, kind: .ed25519, publicKey: Array(rawRepresentation))
    }
}

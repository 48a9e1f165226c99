package import Crypto
import Foundation

/// A witness's timestamped cosignature on a checkpoint (C2SP tlog-cosignature, Ed25519): its statement that, at
/// `timestamp`, the largest consistent tree it had seen for the origin had this root. The signed message is
/// `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint body; the signature line carries the key ID,
/// the timestamp (8 bytes, big-endian) and the 64-byte signature.
package struct Cosignature: Sendable, Equatable {
    package var witness: NoteVerifierKey
    /// Seconds since the epoch.
    package var timestamp: UInt64

    package static func message(body: String, timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n\(body)".utf8)
    }

    /// Signs `checkpoint` as the witness `name` with `key`.
    package static func sign(
        _ checkpoint: TreeCheckpoint, name: String, key: Curve25519.Signing.PrivateKey, timestamp: UInt64
    ) throws -> NoteSignature {
        let vkey = NoteVerifierKey(name: name, kind: .cosignature, publicKey: Array(key.publicKey.rawRepresentation))
        let signature = try key.signature(for: message(body: checkpoint.body, timestamp: timestamp))
        return NoteSignature(name: name, keyID: vkey.keyID, payload: timestamp.bigEndianBytes + Array(signature))
    }

    /// The valid cosignature `witness` put on `note`, if any; a line by that witness that does not verify is an
    /// error, not something to skip.
    package static func find(by witness: NoteVerifierKey, on note: SignedNote) throws(EvidenceFormatError)
        -> Cosignature?
    {
        guard witness.kind == .cosignature else {
            throw EvidenceFormatError("\(witness.name) is not a cosignature key (type 04)")
        }
        guard let line = witness.signatures(in: note).first else { return nil }
        guard line.payload.count == 72, let key = witness.signingKey else {
            throw EvidenceFormatError("the cosignature of \(witness.name) is not a timestamp and an Ed25519 signature")
        }
        let timestamp = line.payload.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp <= UInt64(Int64.max),
            key.isValidSignature(line.payload.dropFirst(8), for: message(body: note.text, timestamp: timestamp))
        else {
            throw EvidenceFormatError("the cosignature of \(witness.name) is invalid for this checkpoint")
        }
        return Cosignature(witness: witness, timestamp: timestamp)
    }
}

extension Cosignature {
    /// The witnesses among `keys` that validly cosigned `note`, with their timestamps: what a bundle or a proof
    /// reports as witnessed. A line by one of them that does not verify is an error (see `find`).
    package static func cosigners(of note: SignedNote, among keys: [NoteVerifierKey]) throws(EvidenceFormatError)
        -> [WitnessCosignature]
    {
        var found: [WitnessCosignature] = []
        for key in keys {
            if let cosignature = try find(by: key, on: note) {
                found.append(WitnessCosignature(name: key.name, timestamp: cosignature.timestamp))
            }
        }
        return found
    }
}

extension UInt64 {
    var bigEndianBytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) }
    }
}

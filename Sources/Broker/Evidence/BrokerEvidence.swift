import Crypto
package import Foundation
package import HoopCore

/// Checks a live store's checkpoints the way an offline verifier checks a bundle's, for `hoopctl broker audit`.
package enum BrokerEvidence {
    /// The first problem with the checkpoints of `events`, or nil: each must carry the hash of the event at its
    /// seq and a valid signature by the audit key in effect at that point (following recorded rotations).
    package static func checkCheckpoints(_ checkpoints: [Checkpoint], events: [AuditEvent], dataDir: URL) throws
        -> String?
    {
        let bySeq = Dictionary(events.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        let rotations = try events.filter { $0.kind == .auditKeyRotated }.map { try KeyRotation(event: $0) }
        let current = try BrokerKeys.loadOrCreate(in: dataDir).audit.publicKey
        var key = rotations.first?.from ?? AuditPublicKey(current)
        var pending = rotations[...]
        for checkpoint in checkpoints {
            while let next = pending.first, next.seq <= checkpoint.seq {
                guard next.isSignatureValid else {
                    return "key rotation at seq \(next.seq) is not signed by the old key"
                }
                key = next.to
                pending = pending.dropFirst()
            }
            guard let event = bySeq[checkpoint.seq] else {
                return "checkpoint at seq \(checkpoint.seq) names an event that is missing"
            }
            guard event.hash == checkpoint.hash else {
                return "checkpoint at seq \(checkpoint.seq) does not match the event's hash (the chain was rewritten)"
            }
            guard checkpoint.verify(publicKey: key) else {
                return "checkpoint at seq \(checkpoint.seq) has an invalid signature"
            }
        }
        return nil
    }
}

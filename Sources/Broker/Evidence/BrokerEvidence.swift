package import HoopCore

/// Checks a live store's checkpoints the way an offline verifier checks a bundle's, for `hoopctl broker audit`.
package enum BrokerEvidence {
    /// The first problem with the checkpoints of `events`, or nil. The first checkpoint must be the signed genesis
    /// (seq 0, the empty chain's hash) the broker writes when it creates a store, so a store wiped and started over
    /// cannot pass for the original without the audit key; each later one must carry the hash of the event at its
    /// seq and a valid signature by the audit key in effect at that point (following recorded rotations) whose
    /// current public key is `currentKey`.
    package static func checkCheckpoints(_ checkpoints: [Checkpoint], events: [AuditEvent], currentKey: AuditPublicKey)
        -> String?
    {
        let bySeq = Dictionary(events.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        let rotations: [KeyRotation]
        do {
            rotations = try events.filter { $0.kind == .auditKeyRotated }.map { try KeyRotation(event: $0) }
        } catch {
            return "a key rotation event cannot be read: \(error)"
        }
        var key = rotations.first?.from ?? currentKey
        var pending = rotations[...]
        guard let genesis = checkpoints.first, genesis.seq == 0 else {
            return "the store has no signed genesis checkpoint (seq 0): it was not created by this broker, or its "
                + "first checkpoints were deleted"
        }
        guard genesis.hash == HashChain.genesis, genesis.previous == 0 else {
            return "the genesis checkpoint does not sign the empty chain"
        }
        for checkpoint in checkpoints {
            while let next = pending.first, next.seq <= checkpoint.seq {
                guard next.isSignatureValid else {
                    return "key rotation at seq \(next.seq) is not signed by the old key"
                }
                key = next.to
                pending = pending.dropFirst()
            }
            if checkpoint.seq > 0 {
                guard let event = bySeq[checkpoint.seq] else {
                    return "checkpoint at seq \(checkpoint.seq) names an event that is missing"
                }
                guard event.hash == checkpoint.hash else {
                    return
                        "checkpoint at seq \(checkpoint.seq) does not match the event's hash (the chain was rewritten)"
                }
            }
            guard checkpoint.verify(publicKey: key) else {
                return "checkpoint at seq \(checkpoint.seq) has an invalid signature"
            }
        }
        return nil
    }
}

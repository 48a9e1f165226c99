package import HoopCore

/// Checks a live store's log the way an offline verifier checks a bundle, for `hoopctl broker audit`.
package enum BrokerEvidence {
    /// The first problem with the checkpoints of the log whose leaves are `events`, or nil. The tree is rebuilt
    /// from the events; the first checkpoint must be the signed genesis (size 0, the empty tree) the broker writes
    /// when it creates a store, so a store wiped and started over cannot pass for the original without the audit
    /// key; each checkpoint must be of `origin`, carry the root the rebuilt tree has at its size, and be signed by
    /// the audit key in effect there (following recorded rotations) whose current public key is `currentKey`.
    package static func checkCheckpoints(
        _ checkpoints: [(note: SignedNote, size: Int64)], events: [AuditEvent], origin: String,
        currentKey: AuditPublicKey
    ) -> String? {
        let rotations: [KeyRotation]
        do {
            rotations = try events.filter { $0.kind == .auditKeyRotated }.map { try KeyRotation(event: $0) }
        } catch {
            return "a key rotation event cannot be read: \(error)"
        }
        for rotation in rotations where !rotation.isSignatureValid {
            return "key rotation at seq \(rotation.seq) is not signed by the old key"
        }
        guard let genesis = checkpoints.first, genesis.size == 0 else {
            return "the store has no signed genesis checkpoint (size 0): it was not created by this broker, its "
                + "first checkpoints were deleted, or it was migrated from the hash chain"
        }
        var tree = MemoryMerkleTree()
        var leaves = events.makeIterator()
        for (note, size) in checkpoints {
            while tree.size < size, let event = leaves.next() { tree.append(event.leafHash) }
            guard tree.size == size else {
                return "the checkpoint of size \(size) covers events the store no longer has (deleted)"
            }
            let key = rotations.last { $0.seq <= size }?.to ?? rotations.first?.from ?? currentKey
            let checkpoint: TreeCheckpoint
            do {
                checkpoint = try LogCheckpoint(note: note, logKey: key).checkpoint
            } catch {
                return "the checkpoint of size \(size): \(error.reason)"
            }
            guard checkpoint.origin == origin else {
                return "the checkpoint of size \(size) is of log \(checkpoint.origin), the store's is \(origin)"
            }
            guard (try? tree.rootHash(size: size)) == checkpoint.root else {
                return "the checkpoint of size \(size) does not sign the root of the stored events (the log was "
                    + "rewritten)"
            }
        }
        if let key = rotations.last?.to, key != currentKey {
            return "the last key rotation hands over to \(key), but the broker's audit key is \(currentKey)"
        }
        return nil
    }
}

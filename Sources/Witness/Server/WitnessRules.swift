import HoopCore

/// The tlog-witness checks that depend on what the witness cosigned before. The store runs them inside the write
/// transaction that records the outcome, so no other submission can move the state between check and update.
package enum WitnessRules {
    /// Nil when the witness may cosign `submission` and make it its new state.
    package static func judge(_ submission: VerifiedSubmission, against cosigned: CosignedState) -> RefusalReason? {
        let checkpoint = submission.checkpoint
        if submission.oldSize > checkpoint.size { return .oldBeyondSize }
        // Checked before `old`, so a fork is named as one whatever old size came with it.
        if checkpoint.size == cosigned.size, checkpoint.root != cosigned.root { return .fork }
        if submission.oldSize != cosigned.size { return .staleOld }
        let consistent = MerkleProof.isConsistent(
            oldSize: cosigned.size, oldRoot: cosigned.root, newSize: checkpoint.size, newRoot: checkpoint.root,
            proof: submission.proof)
        return consistent ? nil : .inconsistentProof
    }
}

package import HoopCore

/// An add-checkpoint request whose checkpoint a trusted log key has signed: all that is left to check depends on
/// what the witness cosigned before.
package struct VerifiedSubmission: Sendable, Equatable {
    package var oldSize: Int64
    package var proof: [TreeHash]
    package var log: LogCheckpoint

    package init(oldSize: Int64, proof: [TreeHash], log: LogCheckpoint) {
        self.oldSize = oldSize
        self.proof = proof
        self.log = log
    }

    package var checkpoint: TreeCheckpoint { log.checkpoint }
}

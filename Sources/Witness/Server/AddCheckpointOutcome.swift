package import HoopCore

/// What the witness answers one add-checkpoint request with.
package enum AddCheckpointOutcome: Sendable, Equatable {
    /// The checkpoint is the new cosigned state; the line is the witness's cosignature on it.
    case cosigned(NoteSignature)
    case refused(AddCheckpointRefusal)
}

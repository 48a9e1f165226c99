/// Why a witness refused a checkpoint that a trusted log key did sign. Each refusal is stored with its note: a signed
/// checkpoint that contradicts what the witness cosigned is the log's own word against itself.
package enum RefusalReason: String, Sendable, CaseIterable {
    /// `old` is larger than the checkpoint's size (400).
    case oldBeyondSize = "old_beyond_size"
    /// The checkpoint has the size the witness cosigned but another root: a fork (409).
    case fork
    /// `old` is not the size the witness cosigned last: a client that is behind, or a log showing an older tree
    /// (409).
    case staleOld = "stale_old"
    /// The consistency proof does not lead from the cosigned root to the checkpoint's (422).
    case inconsistentProof = "inconsistent_proof"
}

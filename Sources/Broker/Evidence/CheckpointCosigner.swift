import HoopCore

/// A witness as the broker sees it: something that takes a checkpoint with a consistency proof from the size it
/// last cosigned and answers per C2SP tlog-witness. The HTTP client is the one real implementation.
protocol CheckpointCosigner: Sendable {
    /// The witness's cosigning key; its name is the witness's name.
    var key: NoteVerifierKey { get }
    func cosign(oldSize: Int64, proof: [TreeHash], note: SignedNote) async throws -> CosignerReply
}

/// What a witness answered.
enum CosignerReply: Sendable, Equatable {
    case cosigned([NoteSignature])
    /// The witness last cosigned `witnessSize`, not the old size sent (or saw another root at the same size).
    case conflict(witnessSize: Int64)
    case refused(status: Int, reason: String)
}

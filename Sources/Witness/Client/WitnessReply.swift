package import HoopCore

/// A witness's answer to add-checkpoint, as the submitting log acts on it.
package enum WitnessReply: Sendable, Equatable {
    /// 200: the witness's signature lines, not yet verified. Keep what `Cosignature.find` accepts for the witness's
    /// pinned vkey once the lines are added to the note; the protocol says to ignore lines of unknown keys.
    case cosigned([NoteSignature])
    /// 409: the witness last cosigned a checkpoint of `witnessSize`. Resubmit with the proof from that size; when it
    /// already was the old size sent (or the checkpoint's own size), the witness holds another root there: a fork.
    case conflict(witnessSize: Int64)
    /// Any other answer: its status and the witness's reason text (cut to 500 characters, printable only).
    case refused(status: Int, reason: String)
}

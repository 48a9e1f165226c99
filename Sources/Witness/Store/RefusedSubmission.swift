package import Foundation

/// A checkpoint the log signed and the witness refused: possible evidence that the log misbehaved. The same
/// checkpoint text refused for the same reason is one record with a count, so replaying an old note (which anyone
/// can do) does not grow the store; only the log can make new records, by signing new checkpoints.
package struct RefusedSubmission: Sendable, Equatable {
    package var origin: String
    package var reason: RefusalReason
    /// The note as first submitted, with every signature line it carried.
    package var note: String
    /// The old size of the first such submission.
    package var oldSize: Int64
    /// The size the witness had cosigned when it first refused it.
    package var cosignedSize: Int64
    package var firstRefusedAt: Date
    package var lastRefusedAt: Date
    package var occurrences: Int64
}

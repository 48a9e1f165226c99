/// What the store decided for a submission, in the transaction that recorded it.
package struct Settlement: Sendable, Equatable {
    /// Nil when the submission became the new cosigned state.
    package var refusal: RefusalReason?
    /// The state the submission was judged against.
    package var previous: CosignedState
}

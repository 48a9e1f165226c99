/// The first thing in a bundle that does not hold up, named precisely enough to find it: `subject` is where
/// (`events.jsonl line 17 (seq 42)`, `checkpoint at seq 50`, `recording ses_x`), `reason` what is wrong and, in
/// parentheses, what that means (`edited`, `truncated`, `deleted or reordered`).
package struct BundleProblem: Error, Sendable, Equatable, Encodable, CustomStringConvertible {
    package var subject: String
    package var reason: String
    /// The audit seq involved, when there is one.
    package var seq: Int64?

    package init(_ subject: String, _ reason: String, seq: Int64? = nil) {
        self.subject = subject
        self.reason = reason
        self.seq = seq
    }

    package var description: String { "\(subject): \(reason)" }
}

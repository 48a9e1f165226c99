package import HTTPTypes
import HoopCore

/// Why the witness did not cosign, as tlog-witness answers it: a status, and either the size it cosigned last (409,
/// whose body may hold nothing else) or a short reason for the log's operator.
package struct AddCheckpointRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    package var status: HTTPResponse.Status
    package var reason: String
    /// Set exactly when the status is 409.
    package var cosignedSize: Int64?

    package var description: String { "\(status.code) \(reason)" }

    /// The body is not a well-formed request (400).
    static func malformed(_ reason: String) -> Self {
        Self(status: .badRequest, reason: "malformed request: \(reason)")
    }

    /// No log with this origin is configured (404).
    static func unknownOrigin(_ origin: String) -> Self {
        Self(status: .notFound, reason: "unknown log origin \"\(origin)\"")
    }

    /// No signature line verifies under a trusted key of the origin (403).
    static func untrusted(_ origin: String) -> Self {
        Self(status: .forbidden, reason: "no valid signature by a trusted key of \(origin)")
    }

    /// A signed checkpoint the rules refused against the cosigned state.
    static func judged(_ reason: RefusalReason, _ submission: VerifiedSubmission, previous: CosignedState) -> Self {
        let old = submission.oldSize
        let size = submission.checkpoint.size
        switch reason {
        case .oldBeyondSize:
            return Self(status: .badRequest, reason: "old size \(old) is larger than the checkpoint size \(size)")
        case .fork:
            return Self(
                status: .conflict, reason: "the checkpoint's root at size \(size) is not the cosigned one (a fork)",
                cosignedSize: previous.size)
        case .staleOld:
            return Self(
                status: .conflict, reason: "old size \(old) is not the cosigned size \(previous.size)",
                cosignedSize: previous.size)
        case .inconsistentProof:
            if (old == 0 || old == size) && !submission.proof.isEmpty {
                return Self(status: .unprocessableContent, reason: "a proof from size \(old) to \(size) must be empty")
            }
            return Self(
                status: .unprocessableContent,
                reason: "the consistency proof from size \(old) to \(size) does not verify against the cosigned root")
        }
    }
}

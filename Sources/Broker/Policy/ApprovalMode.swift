import Foundation
import HoopCore

/// How a client connection wants statements that need approval handled, from its tunnel request headers.
struct ApprovalMode: Sendable, Equatable {
    /// False: refuse at once with the open request's id instead of waiting (`hoopctl exec --no-wait`).
    var wait: Bool
    /// An approved request the client brought for its statement (`hoopctl exec --approval ID`).
    var preapproved: Int64?

    static let interactive = ApprovalMode(wait: true, preapproved: nil)

    /// Reads `Hoop-Approval-Mode` and `Hoop-Approval`; anything unexpected means the default, waiting.
    init(modeHeader: String?, approvalHeader: String?) {
        wait = modeHeader?.lowercased() != "no-wait"
        preapproved = approvalHeader.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
    }

    init(wait: Bool, preapproved: Int64?) {
        self.wait = wait
        self.preapproved = preapproved
    }
}

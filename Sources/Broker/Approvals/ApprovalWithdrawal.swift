/// Why a request was withdrawn, as the `why` of its `approval.withdraw` audit event (a stable spelling) and in what
/// the client is told. A statement held for approval belongs to the client connection that sent it: once that
/// connection is gone or has cancelled it, approving it would run something nobody waits for.
enum ApprovalWithdrawal: String, Sendable, Equatable {
    /// The requester withdrew it (`hoopctl approvals cancel ID`).
    case requesterCancelled = "requester_cancelled"
    /// The client connection holding the statement closed or ended its input while it waited.
    case clientLeft = "client_left"
    /// The client sent a PostgreSQL CancelRequest for the statement while it waited.
    case clientCancelled = "client_cancelled"

    /// The clause after "approval N was withdrawn".
    var explanation: String {
        switch self {
        case .requesterCancelled: "its requester cancelled it"
        case .clientLeft: "the client disconnected while the statement waited"
        case .clientCancelled: "the client cancelled the statement while it waited"
        }
    }
}

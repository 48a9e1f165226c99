package import HoopCore

/// The broker's answer to a session request.
package enum SessionOpening: Sendable {
    case granted(SessionGrantResponse)
    /// The resource's sessions need approval; the request is open.
    case pending(ApprovalInfo)
}

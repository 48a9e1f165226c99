import HoopCore
import Local
import MCP

/// JSON-RPC error codes for failures that are not an outcome of the call: the caller cannot use the resource, its
/// token is not accepted, or the broker cannot be reached. Codes from the range JSON-RPC leaves to servers.
enum MCPErrorCode: Int {
    case accessDenied = -32010
    case notAuthenticated = -32011
    case brokerUnavailable = -32012
}

extension LocalError {
    /// This failure as a JSON-RPC error: the message and, where there is one, what to do about it.
    var jsonRPC: MCPError {
        let text = hint.map { "\(message) (\($0))" } ?? message
        switch kind {
        case .invalidInput:
            return .invalidParams(text)
        case .notLoggedIn, .loginExpired, .unauthorized:
            return .serverError(code: MCPErrorCode.notAuthenticated.rawValue, message: text)
        case .denied, .notFound:
            return .serverError(code: MCPErrorCode.accessDenied.rawValue, message: text)
        case .brokerUnreachable, .brokerUntrusted, .brokerCertificateChanged, .trustDeclined:
            return .serverError(code: MCPErrorCode.brokerUnavailable.rawValue, message: text)
        default:
            return .internalError(text)
        }
    }
}

/// What a tool returns when the broker did not run the call: a pending or refused approval is an outcome the
/// agent acts on (wait, ask someone, change course); anything else is a JSON-RPC error.
enum MCPRefusals {
    static func outcome(of error: LocalError, _ context: MCPCallContext) async throws -> CallTool.Result {
        switch (error.kind, error.approval) {
        case (.approvalPending, let id?):
            let approval: ApprovalInfo
            do throws(LocalError) {
                approval = try await context.broker.approval(id)
            } catch let lookup {
                throw lookup.jsonRPC
            }
            return try MCPToolOutput.result(ApprovalOutput.pending(approval, tool: context.tool))
        case (.denied, let id?):
            return try MCPToolOutput.result(
                RefusalOutput(status: .denied, message: error.message, approvalID: id), isError: true)
        default:
            throw error.jsonRPC
        }
    }
}

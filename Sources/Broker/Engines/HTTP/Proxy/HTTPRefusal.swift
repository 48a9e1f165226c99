import Foundation
import HoopCore
import NIOCore
import NIOHTTP1

/// An answer the broker gives in the target's place: the status, a JSON account (`{"error": {kind, message,
/// approval_id}}`) and `Hoop-Refusal`/`Hoop-Approval` headers, so scripts and `hoopctl exec` tell a policy refusal
/// from the target's own errors.
struct HTTPRefusal: Sendable, Equatable {
    /// What kind of answer it is, as the `Hoop-Refusal` header and the JSON's `kind` spell it.
    enum Kind: String, Sendable {
        case blocked
        case pendingApproval = "pending_approval"
        case badRequest = "bad_request"
        case unavailable
        case targetUnreachable = "target_unreachable"
        case unmaskable
    }

    var status: HTTPResponseStatus
    var kind: Kind
    var message: String
    var approval: Int64?

    static let kindHeader = "Hoop-Refusal"
    static let approvalHeader = "Hoop-Approval"

    /// The response head and body, closing the connection when the broker will not serve it further. A
    /// Kubernetes client gets a `Status` object, which kubectl prints as `Error from server (Forbidden): ...`.
    func response(version: HTTPVersion, close: Bool, flavor: HTTPFlavor = .plain) -> (HTTPResponseHead, ByteBuffer) {
        let body = ByteBuffer(bytes: CanonicalJSON.encode(flavor == .kubernetes ? statusObject : account) + [0x0A])
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: Self.kindHeader, value: kind.rawValue)
        if let approval { headers.add(name: Self.approvalHeader, value: String(approval)) }
        if close { headers.add(name: "Connection", value: "close") }
        return (HTTPResponseHead(version: version, status: status, headers: headers), body)
    }

    /// `{"error": {kind, message, approval_id}}`.
    private var account: JSONValue {
        var account: [String: JSONValue] = ["kind": .string(kind.rawValue), "message": .string(message)]
        if let approval { account["approval_id"] = .int(approval) }
        return .object(["error": .object(account)])
    }

    /// A `meta/v1 Status` failure, the approval id among its causes.
    private var statusObject: JSONValue {
        var causes: [JSONValue] = [.object(["reason": .string(kind.rawValue), "message": .string(message)])]
        if let approval { causes.append(.object(["reason": "HoopApproval", "message": .string(String(approval))])) }
        return .object([
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(Self.reasons[status.code] ?? "Forbidden"),
            "code": .int(Int64(status.code)), "details": .object(["causes": .array(causes)]),
        ])
    }

    /// `Status.reason` for the codes the broker answers with.
    private static let reasons: [UInt: String] = [
        400: "BadRequest", 403: "Forbidden", 405: "MethodNotAllowed", 413: "RequestEntityTooLarge",
        501: "NotImplemented", 502: "InternalError", 503: "ServiceUnavailable",
    ]
}

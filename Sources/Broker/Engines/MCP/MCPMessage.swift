import Foundation
import MCP

/// One JSON-RPC message of MCP as read from the wire: its members, for the broker to judge, rewrite and forward
/// re-encoded.
struct MCPMessage: Sendable {
    enum Kind: Sendable {
        case request(id: Value, method: String)
        case notification(method: String)
        case response(id: Value)
    }

    let kind: Kind
    let members: [String: Value]

    /// Reads one message; the error says what is wrong with it, for a JSON-RPC error the sender can act on.
    init(_ raw: Data) throws(MCPMessageError) {
        guard let value = try? JSONDecoder().decode(Value.self, from: raw) else {
            throw MCPMessageError(code: JSONRPCCode.parseError, "not JSON")
        }
        guard case .object(let members) = value else {
            throw MCPMessageError(code: JSONRPCCode.invalidRequest, "a message must be one JSON object (no batches)")
        }
        guard members["jsonrpc"] == .string("2.0") else {
            throw MCPMessageError(code: JSONRPCCode.invalidRequest, "not JSON-RPC 2.0 (\"jsonrpc\": \"2.0\" missing)")
        }
        self.members = members
        let id = members["id"].flatMap { $0 == .null ? nil : $0 }
        switch (members["method"], id) {
        case (.string(let method)?, let id?):
            // MCP: a request id is a string or an integer. Any other (1.5, true, an object) is refused, not passed
            // on: readers differ on whether such ids equal others (Python's 1 == 1.0), so the broker could pair an
            // answer with the wrong request.
            switch id {
            case .string, .int: break
            default:
                throw MCPMessageError(code: JSONRPCCode.invalidRequest, "a request id must be a string or an integer")
            }
            kind = .request(id: id, method: method)
        case (.string(let method)?, nil):
            kind = .notification(method: method)
        case (nil, let id?) where members["result"] != nil || members["error"] != nil:
            kind = .response(id: id)
        default:
            throw MCPMessageError(code: JSONRPCCode.invalidRequest, "neither a request, a notification nor a response")
        }
    }

    /// The message re-encoded from what the broker read: what it forwards, so the receiver reads exactly what was
    /// judged (raw bytes could hold duplicate keys that another JSON reader resolves the other way).
    var encoded: Data { Self.encode(members) }

    var params: [String: Value] {
        if case .object(let params)? = members["params"] { return params }
        return [:]
    }

    var result: [String: Value]? {
        if case .object(let result)? = members["result"] { return result }
        return nil
    }

    /// This message's members with `result` replaced.
    func replacingResult(_ result: [String: Value]) -> [String: Value] {
        var members = members
        members["result"] = .object(result)
        return members
    }

    static func encode(_ members: [String: Value]) -> Data {
        (try? JSONEncoder.mcpWire.encode(Value.object(members))) ?? Data("{}".utf8)
    }

    static func response(id: Value, result: [String: Value]) -> Data {
        encode(["jsonrpc": "2.0", "id": id, "result": .object(result)])
    }

    static func error(id: Value?, code: Int, _ message: String) -> Data {
        encode([
            "jsonrpc": "2.0", "id": id ?? .null,
            "error": .object(["code": .int(code), "message": .string(message)]),
        ])
    }
}

/// Why bytes are not an MCP message, with the JSON-RPC error code that says so.
struct MCPMessageError: Error, Sendable {
    let code: Int
    let message: String

    init(code: Int, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The JSON-RPC error codes the broker answers with.
enum JSONRPCCode {
    static let parseError = -32_700
    static let invalidRequest = -32_600
    static let methodNotFound = -32_601
    static let invalidParams = -32_602
    static let internalError = -32_603
    /// Implementation-defined: the broker refused the call's access or could not record its decision.
    static let refusedByBroker = -32_010
}

extension JSONEncoder {
    /// Compact, with sorted keys (so a definition's bytes are stable for its fingerprint) and slashes unescaped.
    static var mcpWire: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

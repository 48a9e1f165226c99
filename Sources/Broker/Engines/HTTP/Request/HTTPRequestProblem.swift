import NIOHTTP1

/// Why the broker refused a request before judging it: the request itself is malformed or ambiguous. The client
/// gets the status and message; the target never sees the request.
struct HTTPRequestProblem: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: String, Sendable {
        /// The request-target has no single reading.
        case badTarget = "bad_request_target"
        /// A header the broker will not forward or cannot read unambiguously.
        case badHeader = "bad_header"
        /// Framing two parsers could read differently (Content-Length beside Transfer-Encoding, lengths that
        /// disagree): where this request ends is not certain, so neither is where the next begins, and the
        /// connection ends after the answer (RFC 9112 §6.3).
        case ambiguousFraming = "ambiguous_framing"
        /// The body is larger than the resource allows.
        case bodyTooLarge = "body_too_large"
        /// A method the broker does not relay (CONNECT, TRACE).
        case badMethod = "method_not_relayed"
        /// The HTTP framing itself could not be read.
        case malformed = "malformed_request"
        /// A protocol upgrade (WebSocket), which this engine does not relay.
        case upgrade = "upgrade_not_relayed"

        var status: HTTPResponseStatus {
            switch self {
            case .badTarget, .badHeader, .ambiguousFraming, .malformed: .badRequest
            case .bodyTooLarge: .payloadTooLarge
            case .badMethod: .methodNotAllowed
            case .upgrade: .notImplemented
            }
        }
    }

    var kind: Kind
    var message: String

    /// Whether the connection cannot be read further after this problem.
    var endsConnection: Bool { kind == .ambiguousFraming }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
}

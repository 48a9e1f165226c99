/// Submitting to a witness failed before it gave a usable answer.
package struct WitnessClientError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// No connection, or the connection broke.
        case unreachable
        /// No complete answer within the timeout.
        case timedOut
        /// An answer that is not what the protocol allows for its status.
        case malformedReply
    }

    package var kind: Kind
    /// The add-checkpoint URL.
    package var url: String
    package var detail: String

    package var description: String {
        switch kind {
        case .unreachable: "witness \(url) is unreachable: \(detail)"
        case .timedOut: "witness \(url) did not answer in time: \(detail)"
        case .malformedReply: "witness \(url) gave a malformed answer: \(detail)"
        }
    }

    static func unreachable(_ url: String, _ detail: String) -> Self {
        Self(kind: .unreachable, url: url, detail: detail)
    }

    static func timedOut(_ url: String, _ detail: String) -> Self {
        Self(kind: .timedOut, url: url, detail: detail)
    }

    static func malformedReply(_ url: String, _ detail: String) -> Self {
        Self(kind: .malformedReply, url: url, detail: detail)
    }
}

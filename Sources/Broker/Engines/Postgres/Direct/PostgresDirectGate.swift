import HoopCore
import Logging
import Metrics
import NIOCore
import PostgresWire

/// Admission on the broker's direct PostgreSQL port: the per-session login (or, for a CancelRequest, its key) takes
/// the place of a tunnel grant, and from there the connection opens through the same `TunnelGate` seam as a
/// tunnel. Refusals count toward the per-source limiter the API uses for rejected tokens, are audited as
/// `tunnel.deny` (one by one for the first few per source and window, then in the limiter's summary), and reach
/// the client in PostgreSQL's words without saying anything about other sessions.
struct PostgresDirectGate: Sendable {
    let tunnels: TunnelGate
    let sessions: SessionManager
    let cancelKeys: PostgresCancelKeys
    let rejections: TokenRejectionLimiter
    let logger: Logger

    enum Outcome: Sendable {
        case opened(OpenedTunnel)
        /// What the client is told before the connection closes.
        case refused(PostgresBackendMessage)
    }

    /// A login read by the door: admitted and opened, or refused.
    func open(user: String, password: String, client: any Channel) async -> Outcome {
        let source = Self.source(of: client)
        do throws(DirectLoginRefusal) {
            try throttle(source)
            let tunnel = try await sessions.admit(directUser: user, password: password)
            return .opened(try await open(tunnel, client: client))
        } catch {
            await account(error, source: source, user: user)
            return .refused(Self.answer(to: error.reason, user: user))
        }
    }

    /// A CancelRequest: its key finds the session, which must still be active on a direct resource.
    func cancel(processID: Int32, secretKey: ByteBuffer, client: any Channel) async -> Outcome {
        let source = Self.source(of: client)
        do throws(DirectLoginRefusal) {
            try throttle(source)
            guard let sessionID = cancelKeys.sessionID(processID: processID, secretKey: secretKey) else {
                throw DirectLoginRefusal(.unknownCancelKey)
            }
            return .opened(try await open(try await sessions.admit(cancelFor: sessionID), client: client))
        } catch {
            await account(error, source: source, user: nil)
            return .refused(Self.answer(to: error.reason, user: ""))
        }
    }

    private func throttle(_ source: String) throws(DirectLoginRefusal) {
        if case .throttle(let retryAfter) = rejections.admit(source) {
            throw DirectLoginRefusal(.throttled(retryAfter: retryAfter))
        }
    }

    private func open(_ tunnel: AdmittedTunnel, client: any Channel) async throws(DirectLoginRefusal) -> OpenedTunnel {
        do {
            return try await tunnels.open(tunnel, client: client)
        } catch {
            throw DirectLoginRefusal(.brokerFailure(error), session: tunnel.session, passwordMatched: true)
        }
    }

    /// Counts a refusal against its source and audits it now, or leaves it to the source's window summary.
    private func account(_ refusal: DirectLoginRefusal, source: String, user: String?) async {
        let code = refusal.reason.code
        Counter(label: "hoop_direct_logins_refused_total", dimensions: [("reason", code)]).increment()
        if case .throttled = refusal.reason { return }
        if refusal.reason.countsAsRejected,
            rejections.rejected(source, reason: "postgres_direct.\(code)") == .summarize
        {
            return
        }
        do {
            try await sessions.recordDirectDenial(refusal, source: source, user: user)
        } catch {
            logger.error("cannot audit a refused direct login", metadata: ["reason": "\(code)", "error": "\(error)"])
        }
    }

    /// The client's address without its port: the limiter's unit, as for API requests.
    private static func source(of client: any Channel) -> String {
        client.remoteAddress?.ipAddress ?? "unknown"
    }

    /// PostgreSQL's own words for a refused login, the same whatever the session's state, so a client learns
    /// nothing from them but that this login does not work now.
    static func answer(to reason: DirectLoginRefusal.Reason, user: String) -> PostgresBackendMessage {
        switch reason {
        case .evidenceUnwitnessed:
            return .fatal(
                sqlState: .invalidAuthorization,
                message: "the broker accepts no new connections until its audit log is witnessed again")
        case .throttled(let retryAfter):
            return .fatal(
                sqlState: .invalidAuthorization,
                message: "too many rejected logins from this address; retry in \(Int(retryAfter.rounded(.up)))s")
        case .loopbackLogin:
            return .fatal(
                sqlState: .invalidAuthorization,
                message: "user \"\(SessionPassword.user)\" is the login of `hoopctl connect`'s local port; on the "
                    + "broker's own port log in with the per-session user that `hoopctl connect --direct` prints")
        case .brokerFailure(let error):
            return .fatal(sqlState: .systemError, message: "the broker cannot open this connection: \(error.message)")
        case .unknownLogin, .wrongPassword, .sessionEnded, .resourceNotDirect, .unknownCancelKey:
            return .fatal(
                sqlState: .invalidPassword,
                message: "password authentication failed for user \"\(String(user.utf8.prefix(63)) ?? "")\"",
                hint: "a direct login works only while its session is active; `hoopctl connect --direct` opens one")
        }
    }
}

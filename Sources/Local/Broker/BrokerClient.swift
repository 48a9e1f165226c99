import AsyncHTTPClient
package import Foundation
package import HoopCore
import NIOCore
import NIOHTTP1

/// The broker's HTTPS API. Every call verifies the broker against its trust anchor and, except `authConfig`,
/// presents a bearer token; failures come back as `LocalError`s that say what to do next.
package struct BrokerClient: Sendable {
    package let endpoint: BrokerEndpoint
    package let trust: TrustAnchor
    package let tokens: TokenProvider

    package init(endpoint: BrokerEndpoint, trust: TrustAnchor, tokens: TokenProvider) {
        self.endpoint = endpoint
        self.trust = trust
        self.tokens = tokens
    }

    /// A client for `configuration`'s broker, establishing trust first (which may pin it on first contact).
    package static func connect(_ configuration: ClientConfiguration) async throws(LocalError) -> BrokerClient {
        BrokerClient(
            endpoint: configuration.endpoint,
            trust: try await configuration.trustAnchor(),
            tokens: TokenProvider(configuration: configuration)
        )
    }

    /// The same broker, authenticating with other tokens (e.g. one `hoopctl login` is about to cache).
    package func authenticating(with tokens: TokenProvider) -> BrokerClient {
        BrokerClient(endpoint: self.endpoint, trust: self.trust, tokens: tokens)
    }

    /// How to log in to this broker; needs no token.
    package func authConfig() async throws(LocalError) -> AuthConfigResponse {
        try await self.call(.GET, APIPath.authConfig, authenticated: false)
    }

    /// Begins a SAML login; needs no token.
    package func samlLogin(_ request: SAMLLoginRequest) async throws(LocalError) -> SAMLLoginStart {
        try await self.call(.POST, APIPath.samlLogin, body: request, authenticated: false)
    }

    /// Polls a SAML login for the broker's token; needs no token (the flow's secret is the proof).
    package func samlToken(_ request: SAMLTokenRequest) async throws(LocalError) -> SAMLTokenResponse {
        try await self.call(.POST, APIPath.samlToken, body: request, authenticated: false)
    }

    /// Who the broker thinks the caller is.
    package func whoami() async throws(LocalError) -> Principal {
        try await self.call(.GET, APIPath.whoami)
    }

    /// The brokers of the deployment and their heartbeats.
    package func brokers() async throws(LocalError) -> BrokerStatusReport {
        try await self.call(.GET, APIPath.brokers)
    }

    /// The resources the caller may open sessions to.
    package func resources() async throws(LocalError) -> [ResourceInfo] {
        try await self.call(.GET, APIPath.resources)
    }

    /// Asks for a session: the answer is a grant, or an approval request when the resource needs one first.
    package func createSession(_ request: SessionRequest) async throws(LocalError) -> SessionOpening {
        let reply = try await self.send(.POST, APIPath.sessions, body: try Self.encode(request), authenticated: true)
        if reply.status == .accepted {
            return .pending(try self.decode(SessionPendingResponse.self, reply, path: APIPath.sessions).approval)
        }
        return .granted(try self.decode(SessionGrantResponse.self, reply, path: APIPath.sessions))
    }

    /// Approval requests the caller made or may decide; `status` narrows the list.
    package func approvals(status: ApprovalStatus?) async throws(LocalError) -> [ApprovalInfo] {
        try await self.call(.GET, APIPath.approvals + (status.map { "?status=\($0.rawValue)" } ?? ""))
    }

    /// One request; with `wait` the broker answers once it is decided or `wait` seconds pass.
    package func approval(_ id: Int64, wait: Int = 0) async throws(LocalError) -> ApprovalInfo {
        try await self.call(.GET, APIPath.approval(id) + (wait > 0 ? "?wait=\(wait)" : ""))
    }

    /// Approves or denies a request as the caller.
    package func decide(_ id: Int64, approve: Bool, reason: String?) async throws(LocalError) -> ApprovalInfo {
        try await self.call(
            .POST, APIPath.approvalDecision(id, approve: approve), body: ApprovalDecisionRequest(reason: reason))
    }

    /// Withdraws the caller's own request: it stops waiting for approvers and can never be used.
    package func cancelApproval(_ id: Int64) async throws(LocalError) -> ApprovalInfo {
        try await self.call(.POST, APIPath.approvalCancel(id))
    }

    /// The caller's sessions, or everyone's with `all` (which the broker may deny), narrowed by `user` (subject
    /// or email), `resource` and `since`.
    package func sessions(all: Bool, user: String? = nil, resource: String? = nil, since: Date? = nil)
        async throws(LocalError) -> [SessionInfo]
    {
        var query: [(String, String)] = []
        if all { query.append(("all", "true")) }
        if let user { query.append(("user", user)) }
        if let resource { query.append(("resource", resource)) }
        if let since { query.append(("since", Timestamp.format(since))) }
        return try await self.call(.GET, APIPath.sessions + Self.queryString(query))
    }

    /// A session's recording (JSON lines), for replay.
    package func recording(_ id: String) async throws(LocalError) -> [UInt8] {
        Array(
            try await self.send(
                .GET, APIPath.recording(FormEncoding.escape(id)), body: nil, authenticated: true,
                maximumBytes: HTTPTransport.maximumEvidenceBytes
            ).body)
    }

    /// A signed evidence bundle for the filters (empty filters: everything), taken in as it streams: written to
    /// `directory` when one is given (it must not exist yet; it appears only once the whole bundle is in), and its
    /// files outside the recordings folder returned.
    package func exportEvidence(_ filter: EvidenceFilter, to directory: URL?) async throws(LocalError)
        -> EvidenceBundle
    {
        var query: [(String, String)] = []
        if let since = filter.since { query.append(("since", since)) }
        if let until = filter.until { query.append(("until", until)) }
        if let resource = filter.resource { query.append(("resource", resource)) }
        if let user = filter.actor { query.append(("user", user)) }
        if let session = filter.session { query.append(("session", session)) }
        let request = try await self.request(
            .GET, APIPath.auditExport + Self.queryString(query), body: nil, authenticated: true,
            accept: "application/x-tar")
        var receiver: BundleTarReceiver
        do {
            receiver = BundleTarReceiver(
                directory: try directory.map(BundleDirectoryWriter.init(directory:)),
                memoryLimit: HTTPTransport.maximumEvidenceBytes)
        } catch {
            throw LocalError(.localFile, "cannot write the bundle: \(error)")
        }
        do {
            let reply = try await HTTPTransport.stream(request) { try receiver.receive($0.readableBytesView) }
            try self.requireSuccess(reply)
            return try receiver.finish()
        } catch {
            receiver.abandon()
            switch error {
            case let error as LocalError:
                throw error
            case BundleStreamError.disk(let failure):
                throw LocalError(.localFile, "cannot write the bundle: \(failure)")
            case let error as BundleStreamError:
                throw LocalError(.brokerError, "the broker's bundle cannot be read: \(error)")
            default:
                throw .transport(error, endpoint: self.endpoint, trust: self.trust)
            }
        }
    }

    /// One audit event's inclusion proof, checked to parse before it is handed on.
    package func inclusionProof(seq: Int64) async throws(LocalError) -> InclusionProof {
        let bytes = try await self.send(
            .GET, "\(APIPath.auditProof)/\(seq)", body: nil, authenticated: true,
            maximumBytes: HTTPTransport.maximumEvidenceBytes
        ).body
        do {
            return try InclusionProof(json: Array(bytes))
        } catch {
            throw LocalError(
                .brokerError, "the broker sent an unreadable inclusion proof: \(ErrorDescription.of(error))")
        }
    }

    private static func queryString(_ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\(FormEncoding.escape($0.1))" }.joined(separator: "&")
    }

    package func session(_ id: String) async throws(LocalError) -> SessionInfo {
        try await self.call(.GET, APIPath.session(FormEncoding.escape(id)))
    }

    /// Ends a session; the broker closes its tunnels. Answers the session as it now stands.
    @discardableResult
    package func revokeSession(_ id: String) async throws(LocalError) -> SessionInfo {
        try await self.call(.DELETE, APIPath.session(FormEncoding.escape(id)))
    }

    private func call<Response: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        body: (some Encodable & Sendable)? = Never?.none,
        authenticated: Bool = true,
        maximumBytes: Int = HTTPTransport.maximumBodyBytes
    ) async throws(LocalError) -> Response {
        let encoded = try body.map { body throws(LocalError) in try Self.encode(body) }
        let reply = try await self.send(
            method, path, body: encoded, authenticated: authenticated, maximumBytes: maximumBytes)
        return try self.decode(Response.self, reply, path: "\(method) \(path)")
    }

    private static func encode(_ body: some Encodable) throws(LocalError) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try HoopJSON.encoder().encode(body))
        } catch {
            throw LocalError(.invalidInput, "cannot encode the request: \(error)")
        }
    }

    private func decode<Response: Decodable>(_ type: Response.Type, _ reply: HTTPReply, path: String)
        throws(LocalError) -> Response
    {
        do {
            return try HoopJSON.decoder().decode(Response.self, from: reply.body)
        } catch {
            throw LocalError(
                .brokerError,
                "the broker's answer to \(path) is not what hoopctl expects: \(ErrorDescription.of(error))",
                hint: "check that hoopctl and the broker are the same version"
            )
        }
    }

    /// The token to present. A mistyped broker URL has no cached login either, and "not logged in" would send the
    /// user to log in to a broker that is not there: when there is no usable login, the broker is asked first
    /// whether it is there at all, and "cannot reach the broker at X" wins.
    private func bearerToken() async throws(LocalError) -> String {
        do throws(LocalError) {
            return try await self.tokens.accessToken()
        } catch {
            guard error.kind == .notLoggedIn || error.kind == .loginExpired else { throw error }
            if let unreachable = await self.unreachable() { throw unreachable }
            throw error
        }
    }

    /// Why the broker cannot be reached, or nil when it answers (whatever it answers).
    private func unreachable() async -> LocalError? {
        do throws(LocalError) {
            _ = try await self.authConfig()
            return nil
        } catch {
            return error.kind == .brokerUnreachable ? error : nil
        }
    }

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        body: ByteBuffer?,
        authenticated: Bool,
        maximumBytes: Int = HTTPTransport.maximumBodyBytes
    ) async throws(LocalError) -> HTTPReply {
        let request = try await self.request(method, path, body: body, authenticated: authenticated)
        let reply: HTTPReply
        do {
            reply = try await HTTPTransport.send(request, maximumBytes: maximumBytes)
        } catch {
            throw .transport(error, endpoint: self.endpoint, trust: self.trust)
        }
        try self.requireSuccess(reply)
        return reply
    }

    private func request(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer?, authenticated: Bool,
        accept: String = "application/json"
    ) async throws(LocalError) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: self.endpoint.url + path)
        request.method = method
        request.tlsConfiguration = self.trust.tlsConfiguration
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "hoopctl")
        if authenticated {
            request.headers.add(name: "Authorization", value: "Bearer \(try await self.bearerToken())")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        return request
    }

    /// Turns an answer that is not a success into the broker's error.
    private func requireSuccess(_ reply: HTTPReply) throws(LocalError) {
        guard reply.isSuccess else {
            throw .brokerAnswer(
                status: Int(reply.status.code),
                body: reply.body,
                endpoint: self.endpoint,
                unauthorizedHint: self.tokens.rejectionHint(brokerHint:)
            )
        }
    }
}

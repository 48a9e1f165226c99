import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to the OpenID provider: discovery, the RFC 8628 device flow, the client-credentials grant and refresh.
/// Tokens are not verified here; the broker does that on every call.
struct OIDCClient: Sendable {
    /// Fetches `<issuer>/.well-known/openid-configuration` and checks it speaks for `issuer` (OpenID Connect
    /// Discovery §4.3), so a misconfigured or hostile document cannot redirect logins elsewhere.
    func discover(issuer: String) async throws(LocalError) -> OIDCDiscovery {
        _ = try IdentityProviderURL.validate(issuer, role: "issuer")
        let url = issuer.joinedPath(".well-known/openid-configuration")
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let reply = try await self.send(request, to: url)
        guard reply.isSuccess else {
            throw LocalError(
                .identityProvider,
                "the identity provider's discovery document \(url) answered HTTP \(reply.status.code)",
                hint: "check that the broker's issuer \(issuer) is reachable from this machine"
            )
        }
        let document = try self.decode(OIDCDiscovery.self, from: reply, url: url)
        guard document.issuer == issuer else {
            throw LocalError(
                .identityProvider,
                "the discovery document at \(url) speaks for issuer \(document.issuer), not \(issuer)",
                hint: "the broker's issuer setting must match the provider's issuer exactly"
            )
        }
        _ = try IdentityProviderURL.validate(document.tokenEndpoint, role: "token endpoint")
        if let endpoint = document.deviceAuthorizationEndpoint {
            _ = try IdentityProviderURL.validate(endpoint, role: "device authorization endpoint")
        }
        return document
    }

    /// Runs the device flow: asks for codes, hands them to `prompt` for the user, then polls until the user approves,
    /// refuses, or the codes expire.
    func deviceLogin(
        discovery: OIDCDiscovery,
        clientID: String,
        scopes: [String],
        audience: String?,
        prompt: @Sendable (DeviceAuthorization) -> Void
    ) async throws(LocalError) -> TokenResponse {
        guard let endpoint = discovery.deviceAuthorizationEndpoint else {
            throw LocalError(
                .identityProvider,
                "the identity provider \(discovery.issuer) does not offer the device flow",
                hint: "log in with --client-id (client credentials) or pass a token with HOOP_TOKEN"
            )
        }
        var fields = [("client_id", clientID), ("scope", scopes.joined(separator: " "))]
        if let audience {
            fields.append(("audience", audience))
        }
        let reply = try await self.send(self.formRequest(endpoint, fields: fields), to: endpoint)
        guard reply.isSuccess else {
            throw self.grantRefused(reply, what: "the device login request")
        }
        let authorization = try self.decode(DeviceAuthorization.self, from: reply, url: endpoint)
        prompt(authorization)
        return try await self.pollDeviceToken(discovery: discovery, clientID: clientID, authorization: authorization)
    }

    /// The client-credentials grant with `client_secret_basic`, for agents and CI (RFC 6749 §4.4).
    func clientCredentials(
        tokenEndpoint: String,
        clientID: String,
        clientSecret: String,
        scopes: [String],
        audience: String?
    ) async throws(LocalError) -> TokenResponse {
        var fields = [("grant_type", "client_credentials")]
        if !scopes.isEmpty {
            fields.append(("scope", scopes.joined(separator: " ")))
        }
        if let audience {
            fields.append(("audience", audience))
        }
        var request = self.formRequest(tokenEndpoint, fields: fields)
        let credentials = "\(FormEncoding.escape(clientID)):\(FormEncoding.escape(clientSecret))"
        request.headers.add(name: "Authorization", value: "Basic \(Data(credentials.utf8).base64EncodedString())")
        let reply = try await self.send(request, to: tokenEndpoint)
        guard reply.isSuccess else {
            throw self.grantRefused(reply, what: "the client credentials of \(clientID)")
        }
        return try self.decode(TokenResponse.self, from: reply, url: tokenEndpoint)
    }

    /// Exchanges a refresh token for a new access token (RFC 6749 §6).
    func refresh(
        tokenEndpoint: String,
        clientID: String,
        refreshToken: String
    ) async throws(LocalError) -> TokenResponse {
        let fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID)]
        let reply = try await self.send(self.formRequest(tokenEndpoint, fields: fields), to: tokenEndpoint)
        guard reply.isSuccess else {
            throw self.grantRefused(reply, what: "the refresh token")
        }
        return try self.decode(TokenResponse.self, from: reply, url: tokenEndpoint)
    }

    private func pollDeviceToken(
        discovery: OIDCDiscovery,
        clientID: String,
        authorization: DeviceAuthorization
    ) async throws(LocalError) -> TokenResponse {
        let endpoint = discovery.tokenEndpoint
        let fields = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", authorization.deviceCode),
            ("client_id", clientID),
        ]
        var poller = DeviceTokenPoller(
            interval: authorization.interval,
            expiresIn: authorization.expiresIn,
            start: Date()
        )
        var action = poller.firstPoll(now: Date())
        while true {
            switch action {
            case .fail(let error):
                throw error
            case .wait(let seconds):
                do {
                    try await Task.sleep(for: .seconds(seconds))
                } catch {
                    throw LocalError(.loginTimedOut, "the login was interrupted before it was approved")
                }
            }
            let outcome: DeviceTokenPoller.Outcome
            do {
                let reply = try await HTTPTransport.send(self.formRequest(endpoint, fields: fields))
                if reply.isSuccess {
                    return try self.decode(TokenResponse.self, from: reply, url: endpoint)
                }
                guard let error = try? JSONDecoder().decode(OAuthErrorResponse.self, from: reply.body) else {
                    throw self.grantRefused(reply, what: "the device login")
                }
                outcome = DeviceTokenPoller.Outcome(errorCode: error.error, description: error.errorDescription)
            } catch let error as LocalError {
                throw error
            } catch {
                outcome = .unreachable
            }
            action = poller.next(after: outcome, now: Date())
        }
    }

    private func formRequest(_ url: String, fields: [(String, String)]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
        return request
    }

    /// Sends to the provider, refusing URLs that break the HTTPS rule: endpoints also come from the token cache,
    /// a file a user can edit, and secrets must not follow them over plain HTTP.
    private func send(_ request: HTTPClientRequest, to url: String) async throws(LocalError) -> HTTPReply {
        _ = try IdentityProviderURL.validate(url, role: "endpoint")
        do {
            return try await HTTPTransport.send(request)
        } catch {
            throw LocalError(
                .identityProvider,
                "cannot reach the identity provider at \(url): \(error)",
                hint: "check your network and that the identity provider is up"
            )
        }
    }

    private func decode<Value: Decodable>(
        _ type: Value.Type,
        from reply: HTTPReply,
        url: String
    ) throws(LocalError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: reply.body)
        } catch {
            throw LocalError(
                .identityProvider,
                "the identity provider's answer from \(url) is not what OAuth specifies: \(ErrorDescription.of(error))",
                hint: "check that the broker's issuer points at an OpenID Connect provider"
            )
        }
    }

    private func grantRefused(_ reply: HTTPReply, what: String) -> LocalError {
        let reason =
            (try? JSONDecoder().decode(OAuthErrorResponse.self, from: reply.body))?.summary
            ?? "HTTP \(reply.status.code)"
        return LocalError(
            .identityProvider,
            "the identity provider refused \(what): \(reason)",
            hint: "check the client id and secret, or run `hoopctl login` again"
        )
    }
}

package import Foundation

/// Chooses the bearer token for a broker call: `HOOP_TOKEN`, else `--token-file`, else the login cache. Cached tokens
/// about to expire are renewed first (refresh token, or the client secret from `HOOP_CLIENT_SECRET`), so a call
/// never starts with a token the broker will refuse halfway.
package struct TokenProvider: Sendable {
    /// Where the token comes from; it decides what to tell the user when the broker refuses it.
    package enum Origin: Sendable, Equatable {
        case environment
        case file(String)
        case cache
        /// A token handed over directly, e.g. one being validated by `hoopctl login`.
        case given
    }

    /// A cached token is renewed when it expires within this many seconds.
    package static let renewalMargin: TimeInterval = 60

    package let origin: Origin
    private let source: Source

    private enum Source: Sendable {
        case token(String)
        case file(String)
        case cache(TokenCache, BrokerEndpoint, clientSecret: String?)
        case latest(@Sendable () -> String)
    }

    private init(origin: Origin, source: Source) {
        self.origin = origin
        self.source = source
    }

    /// The provider `configuration` calls for: `HOOP_TOKEN` > `--token-file` > cache.
    package init(configuration: ClientConfiguration) {
        if let token = configuration.environmentToken {
            self.init(origin: .environment, source: .token(token))
        } else if let path = configuration.tokenFile {
            self.init(origin: .file(path), source: .file(path))
        } else {
            self.init(
                origin: .cache,
                source: .cache(
                    TokenCache(directory: configuration.directory),
                    configuration.endpoint,
                    clientSecret: configuration.clientSecret
                )
            )
        }
    }

    /// Always answers `token`.
    package static func fixed(_ token: String) -> TokenProvider {
        TokenProvider(origin: .given, source: .token(token))
    }

    /// Answers whatever `read` returns at the time: the bearer a caller sent with its latest request, for a
    /// server acting as that caller while it renews its token.
    package static func latest(_ read: @escaping @Sendable () -> String) -> TokenProvider {
        TokenProvider(origin: .given, source: .latest(read))
    }

    /// When the token that would be sent now stops being accepted, when it says (a JWT's `exp`); nil when it does
    /// not say or there is none.
    package func tokenExpiry() async -> Date? {
        guard let token = try? await self.accessToken() else { return nil }
        return JWTClaims.expiry(of: token)
    }

    /// The token to send now.
    package func accessToken() async throws(LocalError) -> String {
        switch self.source {
        case .token(let token):
            return token
        case .latest(let read):
            return read()
        case .file(let path):
            return try CredentialFile.read(path, purpose: "token file", option: "--token-file")
        case .cache(let cache, let endpoint, let clientSecret):
            guard let cached = try cache.token(for: endpoint) else {
                throw LocalError(
                    .notLoggedIn,
                    "you are not logged in to the broker at \(endpoint.url)",
                    hint: "run `hoopctl login`, or pass a token with HOOP_TOKEN or --token-file"
                )
            }
            guard cached.expires(within: Self.renewalMargin) else {
                return cached.accessToken
            }
            let renewed = try await Self.renew(cached, clientSecret: clientSecret)
            try cache.store(renewed, for: endpoint)
            return renewed.accessToken
        }
    }

    /// What to do when the broker refuses this provider's token. A token from the environment or a file must be
    /// fixed there, whatever the broker suggests; otherwise the broker's own hint is the most precise.
    func rejectionHint(brokerHint: String?) -> String {
        switch self.origin {
        case .environment:
            "HOOP_TOKEN holds a token the broker does not accept: set a valid one, or unset it and run `hoopctl login`"
        case .file(let path):
            "\(path) holds a token the broker does not accept: refresh it, or run `hoopctl login`"
        case .cache:
            brokerHint ?? "run `hoopctl login`"
        case .given:
            brokerHint ?? "check that the broker trusts the token's issuer and audience"
        }
    }

    private static func renew(_ cached: CachedToken, clientSecret: String?) async throws(LocalError) -> CachedToken {
        let hint: String =
            switch cached.obtainedBy {
            case .clientCredentials:
                "run `hoopctl login --client-id \(cached.clientID ?? "ID")` (or set HOOP_CLIENT_SECRET to renew it "
                    + "automatically)"
            case .saml: "run `hoopctl login --saml` (a SAML login is not renewed without you)"
            case .device, .provided: "run `hoopctl login`"
            }
        let expired = LocalError(.loginExpired, "your login expired", hint: hint)
        guard let tokenEndpoint = cached.tokenEndpoint, let clientID = cached.clientID else { throw expired }
        let client = OIDCClient()
        let response: TokenResponse
        switch (cached.obtainedBy, cached.refreshToken, clientSecret) {
        case (_, .some(let refreshToken), _):
            do {
                response = try await client.refresh(
                    tokenEndpoint: tokenEndpoint,
                    clientID: clientID,
                    refreshToken: refreshToken
                )
            } catch {
                throw LocalError(
                    .loginExpired,
                    "your login expired and could not be renewed (\(error.message))",
                    hint: expired.hint
                )
            }
        case (.clientCredentials, .none, .some(let secret)):
            response = try await client.clientCredentials(
                tokenEndpoint: tokenEndpoint,
                clientID: clientID,
                clientSecret: secret,
                scopes: cached.scopes,
                audience: cached.audience
            )
        default:
            throw expired
        }
        var renewed = cached
        renewed.accessToken = response.accessToken
        renewed.refreshToken = response.refreshToken ?? cached.refreshToken
        renewed.expiresAt = response.expiry(receivedAt: Date())
        return renewed
    }
}

import Foundation
package import HoopCore

/// `hoopctl login`: obtains a token for a broker (device flow, client credentials, or one the environment provides),
/// checks with the broker that it is accepted, and only then caches it.
package struct Login: Sendable {
    package let client: BrokerClient
    let cache: TokenCache

    package init(client: BrokerClient, cache: TokenCache) {
        self.client = client
        self.cache = cache
    }

    /// The RFC 8628 device flow against the broker's issuer (the first one unless `issuer` names another).
    /// `prompt` receives the URL and code to show the user; the call returns once the login is approved.
    package func deviceFlow(
        issuer: String?,
        prompt: @escaping @Sendable (DeviceAuthorization) -> Void
    ) async throws(LocalError) -> Principal {
        let provider = try await self.issuer(named: issuer)
        guard let clientID = provider.cliClientID else {
            throw LocalError(
                .identityProvider,
                "the broker offers no CLI client id for \(provider.issuer), so the device flow cannot be used",
                hint: "log in with --client-id (client credentials), or pass a token with HOOP_TOKEN or --token-file"
            )
        }
        let oidc = OIDCClient()
        let discovery = try await oidc.discover(issuer: provider.issuer)
        let scopes = provider.scopes.isEmpty ? ["openid"] : provider.scopes
        let response = try await oidc.deviceLogin(
            discovery: discovery,
            clientID: clientID,
            scopes: scopes,
            audience: provider.audience,
            prompt: prompt
        )
        return try await self.accept(
            response, from: provider, tokenEndpoint: discovery.tokenEndpoint, clientID: clientID,
            obtainedBy: .device, scopes: scopes
        )
    }

    /// The client-credentials grant, for agents and CI with a machine identity.
    package func clientCredentials(
        clientID: String,
        clientSecret: String,
        issuer: String?
    ) async throws(LocalError) -> Principal {
        let provider = try await self.issuer(named: issuer)
        let oidc = OIDCClient()
        let discovery = try await oidc.discover(issuer: provider.issuer)
        let response = try await oidc.clientCredentials(
            tokenEndpoint: discovery.tokenEndpoint,
            clientID: clientID,
            clientSecret: clientSecret,
            scopes: provider.scopes,
            audience: provider.audience
        )
        return try await self.accept(
            response, from: provider, tokenEndpoint: discovery.tokenEndpoint, clientID: clientID,
            obtainedBy: .clientCredentials, scopes: provider.scopes
        )
    }

    /// Caches a token the environment already has (`HOOP_TOKEN`, `--token-file`) once the broker accepts it.
    package func providedToken(_ token: String) async throws(LocalError) -> Principal {
        let principal = try await self.client.authenticating(with: .fixed(token)).whoami()
        let cached = CachedToken(
            accessToken: token,
            refreshToken: nil,
            expiresAt: JWTClaims.expiry(of: token),
            issuer: principal.issuer,
            tokenEndpoint: nil,
            clientID: nil,
            obtainedBy: .provided
        )
        try self.cache.store(cached, for: self.client.endpoint)
        return principal
    }

    /// Caches a token the identity provider just issued, once the broker accepts it.
    private func accept(
        _ response: TokenResponse,
        from provider: IssuerInfo,
        tokenEndpoint: String,
        clientID: String,
        obtainedBy origin: TokenOrigin,
        scopes: [String]
    ) async throws(LocalError) -> Principal {
        try await self.accept(
            CachedToken(
                accessToken: response.accessToken,
                refreshToken: response.refreshToken,
                expiresAt: response.expiry(receivedAt: Date()),
                issuer: provider.issuer,
                tokenEndpoint: tokenEndpoint,
                clientID: clientID,
                obtainedBy: origin,
                scopes: scopes,
                audience: provider.audience
            )
        )
    }

    private func accept(_ token: CachedToken) async throws(LocalError) -> Principal {
        let principal = try await self.client.authenticating(with: .fixed(token.accessToken)).whoami()
        try self.cache.store(token, for: self.client.endpoint)
        return principal
    }

    private func issuer(named name: String?) async throws(LocalError) -> IssuerInfo {
        let issuers = try await self.client.authConfig().issuers
        guard let name else {
            guard let first = issuers.first else {
                throw LocalError(
                    .identityProvider,
                    "the broker at \(self.client.endpoint.authority) trusts no identity provider",
                    hint: "ask the broker's operator to configure an issuer"
                )
            }
            return first
        }
        guard let match = issuers.first(where: { $0.issuer == name }) else {
            let known = issuers.map(\.issuer).joined(separator: ", ")
            throw LocalError(
                .invalidInput,
                "the broker does not trust the issuer \(name)",
                hint: "pass one of: \(known.isEmpty ? "(none configured)" : known)"
            )
        }
        return match
    }
}

import Foundation
package import HoopCore

extension Login {
    /// A login through one of the broker's SAML identity providers (the only one when `provider` is nil): the
    /// person opens the URL `prompt` receives and logs in at the IdP; the broker verifies the assertion and this
    /// call, polling with the flow's secret, collects the broker's token, checks it and caches it.
    package func samlFlow(
        provider: String?,
        prompt: @escaping @Sendable (SAMLLoginStart) -> Void
    ) async throws(LocalError) -> Principal {
        let start = try await self.client.samlLogin(SAMLLoginRequest(provider: provider))
        prompt(start)
        let deadline = Date().addingTimeInterval(TimeInterval(start.expiresIn))
        let interval = max(1, start.interval)
        while Date() < deadline {
            do {
                try await Task.sleep(for: .seconds(interval))
            } catch {
                throw LocalError(.loginTimedOut, "the login was interrupted before it finished")
            }
            let reply = try await self.client.samlToken(
                SAMLTokenRequest(flow: start.flow, pollSecret: start.pollSecret))
            guard reply.status == .complete, let token = reply.accessToken else { continue }
            let principal = try await self.client.authenticating(with: .fixed(token)).whoami()
            try self.cache.store(
                CachedToken(
                    accessToken: token, refreshToken: nil, expiresAt: reply.expiresAt, issuer: principal.issuer,
                    tokenEndpoint: nil, clientID: nil, obtainedBy: .saml),
                for: self.client.endpoint)
            return principal
        }
        throw LocalError(
            .loginTimedOut, "the SAML login was not finished within \(start.expiresIn / 60) minutes",
            hint: "run `hoopctl login --saml` again and finish the login in the browser")
    }
}

import Foundation
package import HoopCore

extension Login {
    /// The broker's code for a confirmation code that does not match.
    static let wrongCode = "saml_code_wrong"

    /// A login through one of the broker's SAML identity providers (the only one when `provider` is nil): the
    /// person opens the URL `prompt` receives and logs in at the IdP; the broker verifies the assertion and shows a
    /// confirmation code in that browser, which `askCode` gets from the person (so a login link sent to someone else
    /// is worth nothing to its sender). This call polls with the flow's secret, sends the code, collects the broker's
    /// token, checks it and caches it.
    package func samlFlow(
        provider: String?,
        prompt: @escaping @Sendable (SAMLLoginStart) -> Void,
        askCode: @escaping @Sendable () async -> String?
    ) async throws(LocalError) -> Principal {
        let start = try await self.client.samlLogin(SAMLLoginRequest(provider: provider))
        prompt(start)
        let deadline = Date().addingTimeInterval(TimeInterval(start.expiresIn))
        let interval = max(1, start.interval)
        var code: String?
        while Date() < deadline {
            if code == nil {
                do {
                    try await Task.sleep(for: .seconds(interval))
                } catch {
                    throw LocalError(.loginTimedOut, "the login was interrupted before it finished")
                }
            }
            let reply: SAMLTokenResponse
            do {
                reply = try await self.client.samlToken(
                    SAMLTokenRequest(flow: start.flow, pollSecret: start.pollSecret, code: code))
            } catch  where error.brokerCode == Self.wrongCode && error.message.contains("tries left") {
                // A mistyped code: the broker counts the tries; ask again.
                code = nil
                reply = SAMLTokenResponse(status: .confirm)
            }
            switch reply.status {
            case .pending:
                continue
            case .confirm:
                guard let typed = await askCode(), !typed.isEmpty else {
                    throw LocalError(
                        .loginDenied, "no confirmation code was given",
                        hint: "type the code the browser shows after the login")
                }
                code = typed
            case .complete:
                guard let token = reply.accessToken else { continue }
                let principal = try await self.client.authenticating(with: .fixed(token)).whoami()
                try self.cache.store(
                    CachedToken(
                        accessToken: token, refreshToken: nil, expiresAt: reply.expiresAt, issuer: principal.issuer,
                        tokenEndpoint: nil, clientID: nil, obtainedBy: .saml),
                    for: self.client.endpoint)
                return principal
            }
        }
        throw LocalError(
            .loginTimedOut, "the SAML login was not finished within \(start.expiresIn / 60) minutes",
            hint: "run `hoopctl login --saml` again and finish the login in the browser")
    }
}

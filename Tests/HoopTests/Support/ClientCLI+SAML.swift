import Foundation

extension ClientCLI {
    /// Starts `hoopctl login --saml NAME`; the running login and the IdP URL it printed for the person to open.
    func startSAMLLogin(provider: String) async throws -> (ChildProcess, URL) {
        let login = try spawn(["login", "--saml", provider])
        let shown = try await login.waitForOutput("SAMLRequest=", timeout: .seconds(30))
        guard let match = shown.firstMatch(of: /https?:\/\/\S+SAMLRequest=\S+/), let url = URL(string: String(match.0))
        else {
            throw PeerError("no IdP URL in the login output: \(shown)")
        }
        return (login, url)
    }

    /// A whole `hoopctl login --saml` as `username`; the form posted to the ACS is returned for replays.
    func loginWithSAML(provider: String, idp: SAMLTestIdP, username: String, broker: BrokerProcess) async throws
        -> SAMLTestIdP.Login
    {
        let (login, url) = try await startSAMLLogin(provider: provider)
        let answer = try await idp.login(redirectURL: url, username: username)
        let browser = try WebClient(broker)
        defer { Task { await browser.shutdown() } }
        let posted = try await browser.postSAML(answer, origin: idp.baseURL)
        guard posted.status == 200 else { throw PeerError("the ACS answered \(posted.status): \(posted.body)") }
        let status = try await login.waitForExit(timeout: .seconds(30))
        guard status == 0 else { throw PeerError("login exited \(status): \(login.stderr)") }
        return answer
    }
}

extension WebClient {
    /// What the IdP's auto-posting page sends to the ACS.
    func postSAML(_ login: SAMLTestIdP.Login, origin: String, relayState: String? = nil) async throws -> Answer {
        try await post(
            login.acsURL, form: [("SAMLResponse", login.samlResponse), ("RelayState", relayState ?? login.relayState)],
            origin: origin)
    }
}

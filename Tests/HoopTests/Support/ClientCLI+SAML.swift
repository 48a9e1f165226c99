import Foundation

extension ClientCLI {
    /// A running `hoopctl login --saml`, the IdP URL it printed, and where to type the browser's code.
    struct SAMLLoginRun {
        var process: ChildProcess
        var url: URL
        var input: Pipe

        /// Types `code` (and Enter) at the login's prompt.
        func type(_ code: String) {
            input.fileHandleForWriting.write(Data((code + "\n").utf8))
        }
    }

    /// Starts `hoopctl login --saml NAME` and waits for the IdP URL it prints for the person to open.
    func startSAMLLogin(provider: String) async throws -> SAMLLoginRun {
        let input = Pipe()
        let login = try spawn(["login", "--saml", provider], stdin: input.fileHandleForReading)
        let shown = try await login.waitForOutput("SAMLRequest=", timeout: .seconds(30))
        guard let match = shown.firstMatch(of: /https?:\/\/\S+SAMLRequest=\S+/), let url = URL(string: String(match.0))
        else {
            throw PeerError("no IdP URL in the login output: \(shown)")
        }
        return SAMLLoginRun(process: login, url: url, input: input)
    }

    /// A whole `hoopctl login --saml` as `username`: the IdP's login, the browser's post to the ACS, and the code
    /// the broker shows there typed into hoopctl. The form posted to the ACS is returned for replays.
    func loginWithSAML(provider: String, idp: SAMLTestIdP, username: String, broker: BrokerProcess) async throws
        -> SAMLTestIdP.Login
    {
        let run = try await startSAMLLogin(provider: provider)
        let answer = try await idp.login(redirectURL: run.url, username: username)
        let browser = try WebClient(broker)
        defer { Task { await browser.shutdown() } }
        let posted = try await browser.postSAML(answer, origin: idp.baseURL)
        guard posted.status == 200 else { throw PeerError("the ACS answered \(posted.status): \(posted.body)") }
        run.type(try Self.confirmationCode(in: posted.body))
        let status = try await run.process.waitForExit(timeout: .seconds(30))
        guard status == 0 else { throw PeerError("login exited \(status): \(run.process.stderr)") }
        return answer
    }

    /// The confirmation code on the broker's "almost done" page.
    static func confirmationCode(in page: String) throws -> String {
        guard let match = page.firstMatch(of: /id="code">([A-Z]{4}-[A-Z]{4})</) else {
            throw PeerError("no confirmation code on the page: \(page)")
        }
        return String(match.1)
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

import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl login`: get a token for the broker and cache it for later commands.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to the broker and cache the token.",
        discussion: """
            By default runs the OIDC device flow with the identity provider the broker names: open the printed URL, \
            enter the code, and approve. With --client-id, logs in as a machine identity with the client-credentials \
            grant (secret from HOOP_CLIENT_SECRET or --client-secret-file). With HOOP_TOKEN or --token-file, checks \
            the given token with the broker and caches it. With --saml NAME, logs in through the broker's SAML \
            identity provider: open the printed URL and sign in; the broker verifies the assertion and gives hoopctl a \
            short-lived token of its own (renewed only by logging in again).
            """
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: "Issuer to log in with when the broker trusts several (default: the first it lists).")
    var issuer: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log in through the broker's SAML identity provider NAME ('' picks the only one).",
            valueName: "name"
        )
    )
    var saml: String?

    @Option(
        name: .customLong("client-id"),
        help: "Log in as this OIDC client with the client-credentials grant instead of the device flow."
    )
    var clientID: String?

    @Option(
        name: .customLong("client-secret-file"),
        help: ArgumentHelp(
            "File holding the client secret for --client-id (default: HOOP_CLIENT_SECRET).",
            valueName: "file"
        ),
        completion: .file()
    )
    var clientSecretFile: String?

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let configuration = try self.client.configuration()
            let login = Login(
                client: try await BrokerClient.connect(configuration),
                cache: TokenCache(directory: configuration.directory)
            )
            let principal: Principal
            if let token = try self.providedToken(configuration) {
                principal = try await login.providedToken(token)
            } else if let saml = self.saml {
                principal = try await login.samlFlow(
                    provider: saml.isEmpty ? nil : saml, prompt: { Self.showSAMLPrompt($0, on: console) },
                    askCode: Self.askConfirmationCode)
            } else if let clientID = self.clientID {
                principal = try await login.clientCredentials(
                    clientID: clientID,
                    clientSecret: try self.clientSecret(configuration),
                    issuer: self.issuer
                )
            } else if let saml = try await self.samlProviderByDefault(login) {
                principal = try await login.samlFlow(
                    provider: saml, prompt: { Self.showSAMLPrompt($0, on: console) },
                    askCode: Self.askConfirmationCode)
            } else {
                principal = try await login.deviceFlow(issuer: self.issuer) { authorization in
                    Self.showDevicePrompt(authorization, on: console)
                }
            }
            if console.isJSON {
                console.json(principal)
            } else {
                console.line("Logged in to \(configuration.endpoint.url) as \(principal.displayName).")
            }
        } catch {
            throw console.failure(error)
        }
    }

    private func providedToken(_ configuration: ClientConfiguration) throws(LocalError) -> String? {
        if let token = configuration.environmentToken {
            return token
        }
        guard let path = configuration.tokenFile else { return nil }
        return try CredentialFile.read(path, purpose: "token file", option: "--token-file")
    }

    private func clientSecret(_ configuration: ClientConfiguration) throws(LocalError) -> String {
        if let path = self.clientSecretFile {
            return try CredentialFile.read(path, purpose: "client secret file", option: "--client-secret-file")
        }
        guard let secret = configuration.clientSecret else {
            throw LocalError(
                .invalidInput,
                "--client-id needs the client's secret",
                hint: "set HOOP_CLIENT_SECRET or pass --client-secret-file"
            )
        }
        return secret
    }

    /// The SAML provider a plain `hoopctl login` uses: the one `--issuer` names, or the broker's only kind of
    /// provider when it trusts no OIDC issuer.
    private func samlProviderByDefault(_ login: Login) async throws(LocalError) -> String? {
        let config = try await login.client.authConfig()
        let names = (config.saml ?? []).map(\.name)
        if let issuer = self.issuer {
            return names.contains(issuer) ? issuer : nil
        }
        return config.issuers.isEmpty ? names.first : nil
    }

    /// Reads the confirmation code the browser shows from standard input (asked on stderr, so `--output json` on
    /// stdout stays clean); nil at end of input.
    @Sendable private static func askConfirmationCode() async -> String? {
        FileHandle.standardError.write(Data("Code shown in the browser: ".utf8))
        return readLine()?.trimmingCharacters(in: .whitespaces)
    }

    private static func showSAMLPrompt(_ start: SAMLLoginStart, on console: Console) {
        console.note("To log in, open this URL in a browser and sign in at your identity provider:")
        console.note(start.loginURL)
        console.note("Waiting for the login to finish; the browser then shows a code to type here…")
    }

    private static func showDevicePrompt(_ authorization: DeviceAuthorization, on console: Console) {
        console.note("To log in, open \(authorization.verificationURI) and enter the code \(authorization.userCode)")
        if let complete = authorization.verificationURIComplete {
            console.note("(or open \(complete))")
        }
        console.note("Waiting for approval…")
    }
}

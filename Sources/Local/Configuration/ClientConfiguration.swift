/// Everything a client command needs to know before talking to the broker, from flags and environment:
/// where the broker is, how to trust it, where credentials come from and where state is kept.
package struct ClientConfiguration: Sendable {
    package var endpoint: BrokerEndpoint
    /// `--ca` / `HOOP_CA`; nil means trust on first use.
    package var caFile: String?
    /// `--token-file`.
    package var tokenFile: String?
    /// `HOOP_TOKEN`.
    package var environmentToken: String?
    /// `HOOP_CLIENT_SECRET`, used to log in with client credentials and to renew such logins unattended.
    package var clientSecret: String?
    package var directory: ConfigDirectory
    /// Asked before pinning a broker met for the first time.
    package var firstContactApproval: FirstContactApproval

    package init(
        endpoint: BrokerEndpoint,
        caFile: String?,
        tokenFile: String?,
        environmentToken: String?,
        clientSecret: String?,
        directory: ConfigDirectory,
        firstContactApproval: @escaping FirstContactApproval
    ) {
        self.endpoint = endpoint
        self.caFile = caFile
        self.tokenFile = tokenFile
        self.environmentToken = environmentToken
        self.clientSecret = clientSecret
        self.directory = directory
        self.firstContactApproval = firstContactApproval
    }

    /// Resolves flags against `HOOP_BROKER`, `HOOP_CA`, `HOOP_TOKEN`, `HOOP_CLIENT_SECRET` and the XDG directories;
    /// a flag wins over its variable, and empty variables count as unset.
    package init(
        broker: String?,
        caFile: String?,
        tokenFile: String?,
        environment: [String: String],
        firstContactApproval: @escaping FirstContactApproval = FirstContact.terminalApproval
    ) throws(LocalError) {
        let variable = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        self.init(
            endpoint: try BrokerEndpoint.resolve(flag: broker, environment: environment),
            caFile: caFile ?? variable("HOOP_CA"),
            tokenFile: tokenFile,
            environmentToken: variable("HOOP_TOKEN"),
            clientSecret: variable("HOOP_CLIENT_SECRET"),
            directory: try ConfigDirectory.resolve(environment: environment),
            firstContactApproval: firstContactApproval
        )
    }

    /// The broker's trust anchor: the CA file if one was named, else the pinned certificate, pinning it now if
    /// this is the first contact.
    package func trustAnchor() async throws(LocalError) -> TrustAnchor {
        if let caFile {
            return try .certificateAuthority(file: caFile)
        }
        let firstUse = TrustOnFirstUse(
            store: KnownBrokers(directory: self.directory),
            approval: self.firstContactApproval
        )
        return try await firstUse.anchor(for: self.endpoint)
    }
}

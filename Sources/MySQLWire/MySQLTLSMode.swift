/// How the broker's connection to a target uses TLS, as the client drivers' ssl-mode names it.
package enum MySQLTLSMode: String, Sendable, CaseIterable {
    /// Never: the SSLRequest is not sent even if the server offers TLS.
    case disable
    /// When the server offers it, without verifying the certificate.
    case prefer
    /// Always, failing the login if the server does not offer it; the certificate is not verified.
    case require
    /// Always, verifying the certificate chain and that it names the host (the TLS handler does the checks).
    case verifyFull = "verify-full"

    /// Whether a server without CLIENT_SSL must be refused.
    package var isRequired: Bool {
        self == .require || self == .verifyFull
    }
}

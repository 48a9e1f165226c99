/// Why the broker could not log in to a target. Each case says what the operator has to fix: the credentials, the
/// account's plugin, the target's TLS, or the target itself.
package enum MySQLLoginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered the authentication with this error (1045 for a wrong password, 1049 for an unknown
    /// database...).
    case accessDenied(MySQLErrPacket)
    /// The server refused the connection before any authentication (too many connections, host blocked).
    case serverError(MySQLErrPacket)
    /// The account uses an authentication plugin the broker cannot answer.
    case unsupportedPlugin(String)
    /// The plugin would send the password in the clear and the connection is not encrypted.
    case cleartextWithoutTLS(plugin: String)
    /// TLS is required by the target's configuration and the server does not offer it.
    case tlsRequiredButNotOffered
    /// The server lacks what every supported version has (the 4.1 protocol and authentication).
    case unsupportedServer(String)
    /// The RSA public key the server sent (or that was configured) cannot be used.
    case serverPublicKeyUnusable(String)
    /// The server sent something the login exchange does not allow at this point.
    case protocolViolation(String)
    /// A packet from the server did not parse.
    case malformed(MySQLWireError)
    /// The configured username or database cannot be sent (a NUL byte would end the field early).
    case invalidLoginParameters(String)

    package var description: String {
        switch self {
        case .accessDenied(let error):
            "the target refused the login: \(error)"
        case .serverError(let error):
            "the target refused the connection: \(error)"
        case .unsupportedPlugin(let name):
            "the account uses the authentication plugin '\(name)', which the broker does not support"
        case .cleartextWithoutTLS(let plugin):
            "the account's plugin '\(plugin)' sends the password in the clear; refused without TLS"
        case .tlsRequiredButNotOffered:
            "TLS is required but the target does not offer it"
        case .unsupportedServer(let detail):
            "unsupported server: \(detail)"
        case .serverPublicKeyUnusable(let detail):
            "the target's RSA public key cannot be used: \(detail)"
        case .protocolViolation(let detail):
            "protocol violation during login: \(detail)"
        case .malformed(let error):
            "malformed packet during login: \(error)"
        case .invalidLoginParameters(let detail):
            "invalid login parameters: \(detail)"
        }
    }
}

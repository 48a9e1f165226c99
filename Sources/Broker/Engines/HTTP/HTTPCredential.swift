import Foundation
import HoopCore

/// The credential the broker presents to an `http` target on every request, held by the broker: local clients
/// never see it, and whatever credential they send is removed.
enum HTTPCredential: Sendable {
    /// `Authorization: Bearer <token>`.
    case bearer(SecretReference)
    /// `Authorization: Basic <user:password>`.
    case basic(user: String, password: SecretReference)
    /// A named header carrying the secret (`X-API-Key`).
    case header(name: String, value: SecretReference)
    /// A TLS client certificate toward the target (no header).
    case clientCertificate(certificate: URL, key: URL)

    /// The header this credential sets, lowercased: the broker removes the client's copy of it.
    var headerName: String? {
        switch self {
        case .bearer, .basic: "authorization"
        case .header(let name, _): name.lowercased()
        case .clientCertificate: nil
        }
    }

    /// The secret texts a target could reflect back: the header's value and the secret inside it (the token, the
    /// encoded pair, the password).
    func secrets() throws(SecretError) -> [String] {
        switch self {
        case .bearer(let token): [try token.resolve()]
        case .basic(let user, let password):
            [try password.resolve(), Data("\(user):\(try password.resolve())".utf8).base64EncodedString()]
        case .header(_, let value): [try value.resolve()]
        case .clientCertificate: []
        }
    }

    /// The header to send, read now so a rotated secret file takes effect on the next connection.
    func header() throws(SecretError) -> (name: String, value: String)? {
        switch self {
        case .bearer(let token): ("Authorization", "Bearer \(try token.resolve())")
        case .basic(let user, let password):
            ("Authorization", "Basic " + Data("\(user):\(try password.resolve())".utf8).base64EncodedString())
        case .header(let name, let value): (name, try value.resolve())
        case .clientCertificate: nil
        }
    }
}

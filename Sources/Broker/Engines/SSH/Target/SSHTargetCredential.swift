import Foundation
import NIOSSH

/// The broker's login at an SSH target, read from where the config points each time a connection is made, so a
/// rotated key or password takes effect without a restart. Never sent to clients, logged or recorded.
enum SSHTargetCredential: Sendable {
    case key(NIOSSHPrivateKey)
    case password(String)

    static func load(_ credential: SSHCredential, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(SSHCredentialError) -> SSHTargetCredential
    {
        switch credential {
        case .privateKeyFile(let url):
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw SSHCredentialError(reference: "key file \(url.path)", problem: "cannot be read")
            }
            do {
                return .key(try OpenSSHPrivateKey.parse(text))
            } catch {
                throw SSHCredentialError(reference: "key file \(url.path)", problem: error.problem)
            }
        case .password(let reference):
            do {
                return .password(try reference.resolve(environment: environment))
            } catch {
                throw SSHCredentialError(reference: error.reference, problem: error.problem)
            }
        }
    }
}

/// A held SSH credential that cannot be used. The message names where it is, never what it is.
struct SSHCredentialError: Error, Sendable, CustomStringConvertible {
    var reference: String
    var problem: String
    var description: String { "\(reference) \(problem)" }
}

import NIOCore
import NIOSSH

/// Offers the broker's held credential to the target, once. A second request means the target refused it; that is
/// reported as an error (rather than by offering nothing, which would leave the connection hanging) so the session
/// is refused with a message that says which login failed.
final class SSHTargetLogin: NIOSSHClientUserAuthenticationDelegate {
    private let username: String
    private let credential: SSHTargetCredential
    private var offered = false

    init(username: String, credential: SSHTargetCredential) {
        self.username = username
        self.credential = credential
    }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        let method: NIOSSHAvailableUserAuthenticationMethods
        let offer: NIOSSHUserAuthenticationOffer.Offer
        switch credential {
        case .key(let key):
            method = .publicKey
            offer = .privateKey(.init(privateKey: key))
        case .password(let password):
            method = .password
            offer = .password(.init(password: password))
        }
        let methodName = method == .publicKey ? "key" : "password"
        guard !offered else {
            nextChallengePromise.fail(SSHTargetError.loginRefused(username: username, method: methodName))
            return
        }
        guard availableMethods.contains(method) else {
            nextChallengePromise.fail(SSHTargetError.methodUnavailable(username: username, method: methodName))
            return
        }
        offered = true
        nextChallengePromise.succeed(NIOSSHUserAuthenticationOffer(username: username, serviceName: "", offer: offer))
    }
}

/// Why the broker could not open its own SSH session on the target.
enum SSHTargetError: Error, Sendable, CustomStringConvertible {
    case unreachable(String)
    case hostKey(SSHHostKeyError)
    case credentials(SSHCredentialError)
    case loginRefused(username: String, method: String)
    case methodUnavailable(username: String, method: String)
    case closed
    case protocolFailure(String)

    var description: String {
        switch self {
        case .unreachable(let reason): reason
        case .hostKey(let error): error.description
        case .credentials(let error): "the broker cannot use its credentials: \(error)"
        case .loginRefused(let username, let method):
            "the target refused the broker's \(method) for user \(username)"
        case .methodUnavailable(let username, let method):
            "the target does not accept \(method) logins for user \(username)"
        case .closed: "the target closed the connection during login"
        case .protocolFailure(let reason): "SSH with the target failed: \(reason)"
        }
    }

    /// The stable code audited with the refusal.
    var code: String {
        switch self {
        case .unreachable: "target_unreachable"
        case .hostKey: "target_host_key_mismatch"
        case .credentials, .loginRefused, .methodUnavailable: "target_login_failed"
        case .closed, .protocolFailure: "target_protocol_error"
        }
    }
}

import NIOCore
import NIOSSH

/// Logs in to the broker's SSH server with the session's password, once; a second request means it was refused.
final class SSHSessionLogin: NIOSSHClientUserAuthenticationDelegate {
    private let user: String
    private let password: String
    private var offered = false

    init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    func nextAuthenticationType(
        availableMethods: NIOSSHAvailableUserAuthenticationMethods,
        nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
    ) {
        guard !offered, availableMethods.contains(.password) else {
            nextChallengePromise.fail(SSHExecFailure(message: "the broker refused the session's SSH login"))
            return
        }
        offered = true
        nextChallengePromise.succeed(
            .init(username: user, serviceName: "", offer: .password(.init(password: password))))
    }
}

/// Accepts only the host key the broker announced for the session (over the broker's verified TLS connection).
struct SSHPinnedHostKey: NIOSSHClientServerAuthenticationDelegate {
    let expected: NIOSSHPublicKey

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        if hostKey == expected {
            validationCompletePromise.succeed()
        } else {
            validationCompletePromise.fail(
                SSHExecFailure(message: "the SSH host key seen through the tunnel is not the broker's; refusing it"))
        }
    }
}

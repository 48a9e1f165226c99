import Crypto
import NIOCore
import NIOSSH

/// The broker's SSH login for local clients: the per-session password `hoopctl connect` printed, whatever the user
/// name. Only password logins are offered, so OpenSSH's client goes straight to the password prompt (or
/// SSH_ASKPASS) without trying the user's own keys.
struct SSHSessionPasswordCheck: NIOSSHServerUserAuthenticationDelegate {
    let sessionPassword: String

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { .password }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest,
        responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        guard case .password(let offered) = request.request, !sessionPassword.isEmpty else {
            responsePromise.succeed(.failure)
            return
        }
        // Digest equality in swift-crypto is constant-time, so the comparison leaks nothing about the password.
        let matches = SHA256.hash(data: Array(offered.password.utf8)) == SHA256.hash(data: Array(sessionPassword.utf8))
        responsePromise.succeed(matches ? .success : .failure)
    }
}

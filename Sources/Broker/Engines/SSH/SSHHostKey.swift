import Crypto
import Foundation
import NIOSSH

/// The broker's own SSH host key, which local clients see through the tunnel. Kept in the data dir beside the other
/// keys (created on first start, 0600) so it is stable across restarts; `hoopctl connect` writes it to a
/// known_hosts file, so OpenSSH verifies the broker instead of being told to skip host key checking.
struct SSHHostKey: Sendable {
    let privateKey: NIOSSHPrivateKey
    /// `ssh-ed25519 AAAA...`, as sessions hand it to clients.
    let publicKeyText: String

    static func loadOrCreate(in dataDir: URL) throws -> SSHHostKey {
        let file = dataDir.appendingPathComponent("keys").appendingPathComponent("ssh-host-ed25519.key")
        let key = NIOSSHPrivateKey(ed25519Key: try KeyFile.loadOrCreate(file))
        return SSHHostKey(privateKey: key, publicKeyText: String(openSSHPublicKey: key.publicKey))
    }
}

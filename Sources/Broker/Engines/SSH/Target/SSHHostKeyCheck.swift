import Crypto
import Foundation
import NIOCore
import NIOSSH

/// Verifies the target's host key against the resource's pin or known_hosts file before the broker sends its
/// credentials. A key that does not match ends the connection with `SSHHostKeyError`, whose message names the key
/// the target presented (OpenSSH's SHA256 fingerprint) so the operator can compare it with the expected one.
struct SSHHostKeyCheck: NIOSSHClientServerAuthenticationDelegate {
    let trust: SSHHostKeyTrust
    let address: HostPort

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        do {
            try verify(hostKey)
            validationCompletePromise.succeed()
        } catch {
            validationCompletePromise.fail(error)
        }
    }

    func verify(_ presented: NIOSSHPublicKey) throws(SSHHostKeyError) {
        switch trust {
        case .pinned(let text):
            guard let pinned = try? Self.parsePin(text), pinned == presented else {
                throw SSHHostKeyError(presented: presented, expected: "the resource's pinned host_key")
            }
        case .knownHostsFile(let url):
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw SSHHostKeyError(presented: presented, expected: "\(url.path), which cannot be read")
            }
            let entries = SSHKnownHosts(text: text).keys(for: address)
            if entries.revoked.contains(presented) {
                throw SSHHostKeyError(presented: presented, expected: "\(url.path), which marks it @revoked")
            }
            guard entries.trusted.contains(presented) else {
                let host = SSHKnownHosts.hostName(for: address)
                let expected =
                    entries.trusted.isEmpty
                    ? "\(url.path), which has no entry for \(host)" : "the keys \(url.path) lists for \(host)"
                throw SSHHostKeyError(presented: presented, expected: expected)
            }
        }
    }

    static func parsePin(_ text: String) throws(SSHHostKeyError) -> NIOSSHPublicKey {
        do {
            return try NIOSSHPublicKey(openSSHPublicKey: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw SSHHostKeyError(unreadable: text)
        }
    }

    /// OpenSSH's fingerprint of a key: `SHA256:` and the unpadded base64 of the digest of its wire form.
    static func fingerprint(_ key: NIOSSHPublicKey) -> String {
        let parts = String(openSSHPublicKey: key).split(separator: " ")
        guard parts.count >= 2, let wire = Data(base64Encoded: String(parts[1])) else { return "unknown" }
        let digest = Data(SHA256.hash(data: wire)).base64EncodedString().trimmingCharacters(in: ["="])
        return "\(parts[0]) SHA256:\(digest)"
    }
}

/// The target is not the host the config says it is, or the pin itself is unreadable.
struct SSHHostKeyError: Error, Sendable, CustomStringConvertible {
    let description: String

    init(presented: NIOSSHPublicKey, expected: String) {
        description =
            "the target's host key (\(SSHHostKeyCheck.fingerprint(presented))) does not match \(expected); "
            + "the broker refused to log in"
    }

    init(unreadable text: String) {
        description = "'\(text.prefix(40))' is not an OpenSSH public key (expected e.g. `ssh-ed25519 AAAA...`)"
    }
}

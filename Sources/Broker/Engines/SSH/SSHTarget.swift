package import Foundation

/// How the broker logs in to an SSH target and what it lets clients do there. The target's login (a key file or a
/// password reference) stays in the broker; clients log in to the broker with the per-session password.
package struct SSHTarget: ResourceTarget {
    package var username: String
    package var credential: SSHCredential
    package var hostKey: SSHHostKeyTrust
    /// Interactive shells are observed, not governed: off by default so a resource is exec-only (the agent-safe
    /// setting) unless the operator opts in.
    package var allowShell: Bool
    /// `direct-tcpip` channels and `tcpip-forward` requests; off by default.
    package var allowPortForwarding: Bool
    /// The `sftp` subsystem (which modern `scp` uses too).
    package var allowSFTP: Bool
    /// On a guarded resource, what happens to a command the judge cannot read (`unreadable_commands:`).
    package var unreadableCommands: UnreadableCommands = .refuse
    /// The variables a client's `env` requests may set (`allow_env:`, globs); the rest are refused.
    package var allowEnv: EnvironmentFilter = EnvironmentFilter()
}

/// What the broker presents to the target.
package enum SSHCredential: Sendable, Equatable {
    /// An unencrypted OpenSSH or PEM private key (Ed25519 or ECDSA), read when a connection is made.
    case privateKeyFile(URL)
    case password(SecretReference)
}

/// How the target's host key is verified; there is no "accept anything" mode.
package enum SSHHostKeyTrust: Sendable, Equatable {
    /// One key in OpenSSH public key form (`ssh-ed25519 AAAA...`).
    case pinned(String)
    /// An OpenSSH known_hosts file, matched against the target's address (plain or hashed entries).
    case knownHostsFile(URL)
}

extension ResourceConfig {
    /// The target login and permissions of an `ssh` resource.
    var ssh: SSHTarget? { target(as: SSHTarget.self) }
}

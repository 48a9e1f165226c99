public import Foundation

/// How the broker logs in to an SSH target and what it lets clients do there. The target's login (a key file or a
/// password reference) stays in the broker; clients log in to the broker with the per-session password.
public struct SSHTarget: Sendable {
    public var username: String
    public var credential: SSHCredential
    public var hostKey: SSHHostKeyTrust
    /// Interactive shells are observed, not governed: off by default so a resource is exec-only (the agent-safe
    /// setting) unless the operator opts in.
    public var allowShell: Bool
    /// `direct-tcpip` channels and `tcpip-forward` requests; off by default.
    public var allowPortForwarding: Bool
    /// The `sftp` subsystem (which modern `scp` uses too).
    public var allowSFTP: Bool
}

/// What the broker presents to the target.
public enum SSHCredential: Sendable, Equatable {
    /// An unencrypted OpenSSH or PEM private key (Ed25519 or ECDSA), read when a connection is made.
    case privateKeyFile(URL)
    case password(SecretReference)
}

/// How the target's host key is verified; there is no "accept anything" mode.
public enum SSHHostKeyTrust: Sendable, Equatable {
    /// One key in OpenSSH public key form (`ssh-ed25519 AAAA...`).
    case pinned(String)
    /// An OpenSSH known_hosts file, matched against the target's address (plain or hashed entries).
    case knownHostsFile(URL)
}

extension ConfigLoader {
    /// Reads an ssh resource's login and permissions. On a `masked` resource, file transfer and port forwarding
    /// are off and cannot be turned on: their bytes are binary protocols the output masker cannot read, so either
    /// would carry unmasked data past it.
    static func sshTarget(_ node: inout ConfigNode, environment: [String: String]?, base: URL, masked: Bool)
        throws(ConfigError) -> SSHTarget
    {
        let keyFile = try node.string("private_key_file")
        let passwordEnv = try node.string("password_env")
        let passwordFile = try node.string("password_file")
        let credential: SSHCredential
        let credentialKey: String
        switch (keyFile, passwordEnv, passwordFile) {
        case (let path?, nil, nil):
            credential = .privateKeyFile(resolve(path, against: base))
            credentialKey = "private_key_file"
        case (nil, let name?, nil):
            credential = .password(.environment(name))
            credentialKey = "password_env"
        case (nil, nil, let path?):
            credential = .password(.file(resolve(path, against: base)))
            credentialKey = "password_file"
        case (nil, nil, nil):
            throw ConfigError(
                path: node.path, message: "needs private_key_file, password_env or password_file for the target login")
        default:
            throw ConfigError(
                path: node.path, message: "give one of private_key_file, password_env or password_file, not several")
        }
        if environment != nil {
            do {
                _ = try SSHTargetCredential.load(credential, environment: environment ?? [:])
            } catch {
                throw ConfigError(path: "\(node.path).\(credentialKey)", message: error.description)
            }
        }

        let pin = try node.string("host_key")
        let knownHosts = try node.string("known_hosts_file")
        let hostKey: SSHHostKeyTrust
        switch (pin, knownHosts) {
        case (let text?, nil):
            do {
                _ = try SSHHostKeyCheck.parsePin(text)
            } catch {
                throw ConfigError(path: "\(node.path).host_key", message: error.description)
            }
            hostKey = .pinned(text)
        case (nil, let path?):
            let url = resolve(path, against: base)
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw ConfigError(path: "\(node.path).known_hosts_file", message: "\(url.path) cannot be read")
            }
            hostKey = .knownHostsFile(url)
        case (nil, nil):
            throw ConfigError(
                path: node.path,
                message: "needs host_key (the target's public key) or known_hosts_file, so the target is verified"
            )
        case (_?, _?):
            throw ConfigError(path: node.path, message: "give host_key or known_hosts_file, not both")
        }
        let allowPortForwarding = try node.flag("allow_port_forwarding") ?? false
        let allowSFTP = try node.flag("allow_sftp") ?? !masked
        if masked, allowPortForwarding || allowSFTP {
            let key = allowSFTP ? "allow_sftp" : "allow_port_forwarding"
            throw ConfigError(
                path: "\(node.path).\(key)",
                message: "cannot be true with masking: it carries bytes the output masker cannot read")
        }
        return SSHTarget(
            username: try node.requiredString("username"),
            credential: credential,
            hostKey: hostKey,
            allowShell: try node.flag("allow_shell") ?? false,
            allowPortForwarding: allowPortForwarding,
            allowSFTP: allowSFTP
        )
    }
}

extension ConfigNode {
    /// `true` or `false` (YAML's other spellings are refused, so a typo cannot silently flip a permission).
    mutating func flag(_ key: String) throws(ConfigError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            throw ConfigError(path: path.isEmpty ? key : "\(path).\(key)", message: "expected true or false")
        }
    }
}

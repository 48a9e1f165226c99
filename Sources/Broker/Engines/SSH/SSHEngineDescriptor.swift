import Foundation
import HoopCore
import Yams

/// `type: ssh`: the broker terminates SSH on both sides, so it judges exec command lines, masks what the target
/// prints, and hands clients a per-session login plus its own host key to pin.
struct SSHEngineDescriptor: EngineDescriptor {
    var type: ResourceType { .ssh }
    /// Output is masked as a stream of text: there are no columns for column rules to follow.
    var capabilities: EngineCapabilities { [.clientLogin, .masking] }
    var guardrails: GuardrailSubject? { .commands }

    /// `username`, one of `private_key_file` | `password_env` | `password_file`, one of `host_key` |
    /// `known_hosts_file`, and the `allow_*` permissions. On a masked resource, file transfer and port forwarding
    /// are off and cannot be turned on: their bytes are binary protocols the output masker cannot read, so either
    /// would carry unmasked data past it.
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        SSHTarget(
            username: try node.requiredString("username"),
            credential: try credential(&node, context),
            hostKey: try hostKey(&node, context),
            allowShell: try node.flag("allow_shell") ?? false,
            allowPortForwarding: try permission(&node, "allow_port_forwarding", default: false, context),
            allowSFTP: try permission(&node, "allow_sftp", default: !context.isMasked, context),
            unreadableCommands: try unreadableCommands(&node),
            allowEnv: try environmentFilter(&node)
        )
    }

    /// `unreadable_commands: refuse` (the default) or `{ action: require_approval, approvers: [...] }`.
    private func unreadableCommands(_ node: inout ConfigNode) throws(ConfigError) -> UnreadableCommands {
        guard let (value, path) = node.value("unreadable_commands") else { return .refuse }
        if value.string == "refuse" { return .refuse }
        guard value.mapping != nil else {
            throw ConfigError(
                path: path, message: "expected refuse, or { action: require_approval, approvers: [...] }")
        }
        var policy = try ConfigNode(value, path: path)
        let action = try policy.requiredString("action")
        guard action == "require_approval" else {
            if action == "refuse" {
                try policy.rejectUnknownKeys()
                return .refuse
            }
            throw ConfigError(path: "\(path).action", message: "expected refuse or require_approval, got '\(action)'")
        }
        return .requireApproval(try ConfigLoader.approvalRequirement(&policy))
    }

    /// `allow_env: [LANG, "LC_*"]`; names the filter never allows are refused here, so the config says what runs.
    private func environmentFilter(_ node: inout ConfigNode) throws(ConfigError) -> EnvironmentFilter {
        guard let patterns = try node.stringList("allow_env") else { return EnvironmentFilter() }
        for pattern in patterns {
            if let name = EnvironmentFilter.dangerous(matchedBy: pattern) {
                throw ConfigError(
                    path: "\(node.path).allow_env",
                    message: "'\(pattern)' would allow \(name), which changes what the target's shell runs")
            }
        }
        return EnvironmentFilter(allowed: patterns)
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        SSHEngine(
            logger: environment.logger,
            hostKey: try SSHHostKey.loadOrCreate(in: environment.dataDir),
            judge: AllowingSSHCommandJudge(),
            maskers: environment.maskers
        )
    }

    private func credential(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> SSHCredential {
        let keyFile = try node.string("private_key_file")
        let password = try node.secretKeys("password", base: context.base)
        switch (keyFile, password) {
        case (let path?, nil):
            let credential = SSHCredential.privateKeyFile(ConfigLoader.resolve(path, against: context.base))
            if let environment = context.environment {
                do {
                    _ = try SSHTargetCredential.load(credential, environment: environment)
                } catch {
                    throw ConfigError(path: "\(node.path).private_key_file", message: error.description)
                }
            }
            return credential
        case (nil, let (password, key)?):
            try node.check(password, key: key, environment: context.environment)
            return .password(password)
        case (nil, nil):
            throw ConfigError(
                path: node.path, message: "needs private_key_file, password_env or password_file for the target login")
        case (_?, _?):
            throw ConfigError(
                path: node.path, message: "give one of private_key_file, password_env or password_file, not several")
        }
    }

    private func hostKey(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> SSHHostKeyTrust {
        switch (try node.string("host_key"), try node.string("known_hosts_file")) {
        case (let text?, nil):
            do {
                _ = try SSHHostKeyCheck.parsePin(text)
            } catch {
                throw ConfigError(path: "\(node.path).host_key", message: error.description)
            }
            return .pinned(text)
        case (nil, let path?):
            let url = ConfigLoader.resolve(path, against: context.base)
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw ConfigError(path: "\(node.path).known_hosts_file", message: "\(url.path) cannot be read")
            }
            return .knownHostsFile(url)
        case (nil, nil):
            throw ConfigError(
                path: node.path,
                message: "needs host_key (the target's public key) or known_hosts_file, so the target is verified"
            )
        case (_?, _?):
            throw ConfigError(path: node.path, message: "give host_key or known_hosts_file, not both")
        }
    }

    /// A channel permission; on a masked resource only `false` is accepted.
    private func permission(_ node: inout ConfigNode, _ key: String, default fallback: Bool, _ context: TargetParsing)
        throws(ConfigError) -> Bool
    {
        let allowed = try node.flag(key) ?? fallback
        if context.isMasked, allowed {
            throw ConfigError(
                path: "\(node.path).\(key)",
                message: "cannot be true with masking: it carries bytes the output masker cannot read")
        }
        return allowed
    }
}

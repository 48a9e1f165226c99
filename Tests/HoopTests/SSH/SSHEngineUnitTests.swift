import Foundation
import NIOSSH
import Testing

@testable import Broker

/// Keys made by OpenSSH's own ssh-keygen, in a scratch directory.
private struct GeneratedKeys {
    let directory: URL

    init() throws {
        directory = try TestEnvironment.scratchDirectory("ssh-keys")
    }

    func make(_ name: String, _ arguments: [String]) async throws -> URL {
        let file = directory.appendingPathComponent(name)
        let made = try await ChildProcess.run(
            "/usr/bin/ssh-keygen", ["-q", "-f", file.path, "-C", name] + arguments)
        guard made.status == 0 else { throw PeerError("ssh-keygen failed: \(made.stderr)") }
        return file
    }

    func publicKey(_ file: URL) throws -> String {
        let text = try String(contentsOf: file.appendingPathExtension("pub"), encoding: .utf8)
        return text.split(separator: " ").prefix(2).joined(separator: " ")
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("SSH: engine parts")
struct SSHEngineUnitTests {
    // MARK: Reply order

    @Test("answers leave in request order, whether the target or the broker gives them")
    func replyOrder() {
        var order = SSHReplyOrder<String>()
        order.forwarded()
        #expect(order.decided(success: true, then: "refusal").isEmpty)
        order.forwarded()
        let first = order.targetAnswered(success: false)
        #expect(first.map(\.success) == [false, true])
        #expect(first.map(\.then) == [nil, "refusal"])
        #expect(order.targetAnswered(success: true).map(\.success) == [true])
        #expect(order.targetAnswered(success: true).isEmpty)
    }

    @Test("a broker answer with nothing outstanding leaves at once")
    func replyImmediately() {
        var order = SSHReplyOrder<Int>()
        #expect(order.decided(success: false).map(\.success) == [false])
    }

    // MARK: Private keys

    @Test("ssh-keygen's Ed25519 and ECDSA keys load, and sign as the public key says")
    func privateKeys() async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        for (name, arguments) in [
            ("ed", ["-t", "ed25519"]), ("p256", ["-t", "ecdsa", "-b", "256"]), ("p384", ["-t", "ecdsa", "-b", "384"]),
            ("p521", ["-t", "ecdsa", "-b", "521"]),
        ] {
            let file = try await keys.make(name, arguments + ["-N", ""])
            let key = try OpenSSHPrivateKey.parse(try String(contentsOf: file, encoding: .utf8))
            #expect(String(openSSHPublicKey: key.publicKey) == (try keys.publicKey(file)), "\(name)")
        }
        let pem = try await keys.make("pem", ["-t", "ecdsa", "-b", "256", "-N", "", "-m", "PEM"])
        let pemKey = try OpenSSHPrivateKey.parse(try String(contentsOf: pem, encoding: .utf8))
        #expect(String(openSSHPublicKey: pemKey.publicKey) == (try keys.publicKey(pem)))
    }

    @Test("encrypted, RSA and non-key files are refused with a reason")
    func unusableKeys() async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        let encrypted = try await keys.make("enc", ["-t", "ed25519", "-N", "secret-passphrase"])
        #expect(throws: SSHKeyFileError.self) {
            try OpenSSHPrivateKey.parse(String(contentsOf: encrypted, encoding: .utf8))
        }
        let encryptedText = try String(contentsOf: encrypted, encoding: .utf8)
        do {
            _ = try OpenSSHPrivateKey.parse(encryptedText)
        } catch {
            #expect(error.problem.contains("passphrase"))
        }
        let rsa = try await keys.make("rsa", ["-t", "rsa", "-b", "2048", "-N", ""])
        let rsaText = try String(contentsOf: rsa, encoding: .utf8)
        do {
            _ = try OpenSSHPrivateKey.parse(rsaText)
            Issue.record("an RSA key was accepted")
        } catch {
            #expect(error.problem.contains("RSA"))
        }
        #expect(throws: SSHKeyFileError.self) { try OpenSSHPrivateKey.parse("just text") }
    }

    // MARK: Host keys

    @Test("known_hosts: plain, [host]:port, wildcard, negated, hashed and revoked entries")
    func knownHosts() async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        let one = try keys.publicKey(try await keys.make("one", ["-t", "ed25519", "-N", ""]))
        let two = try keys.publicKey(try await keys.make("two", ["-t", "ed25519", "-N", ""]))
        let oneKey = try NIOSSHPublicKey(openSSHPublicKey: one)
        let twoKey = try NIOSSHPublicKey(openSSHPublicKey: two)
        let address = HostPort(host: "10.0.0.5", port: 2222)

        let plain = SSHKnownHosts(text: "# comment\n10.0.0.5 \(two)\n[10.0.0.5]:2222 \(one)\n")
        #expect(plain.keys(for: address).trusted == [oneKey])
        #expect(plain.keys(for: HostPort(host: "10.0.0.5", port: 22)).trusted == [twoKey])

        let patterns = SSHKnownHosts(text: "[10.0.0.*]:2222,![10.0.0.9]:* \(one)\n")
        #expect(patterns.keys(for: address).trusted == [oneKey])
        #expect(patterns.keys(for: HostPort(host: "10.0.0.9", port: 2222)).trusted.isEmpty)

        let revoked = SSHKnownHosts(text: "@revoked * \(one)\n[10.0.0.5]:2222 \(one)\n")
        #expect(revoked.keys(for: address).revoked == [oneKey])

        // OpenSSH hashes the names itself: ssh-keygen -H.
        let file = keys.directory.appendingPathComponent("known_hosts")
        try "[10.0.0.5]:2222 \(one)\n".write(to: file, atomically: true, encoding: .utf8)
        let hashed = try await ChildProcess.run("/usr/bin/ssh-keygen", ["-H", "-f", file.path])
        #expect(hashed.status == 0)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("|1|"))
        #expect(SSHKnownHosts(text: text).keys(for: address).trusted == [oneKey])
        #expect(SSHKnownHosts(text: text).keys(for: HostPort(host: "10.0.0.6", port: 2222)).trusted.isEmpty)

        let check = SSHHostKeyCheck(trust: .knownHostsFile(file), address: address)
        #expect(throws: Never.self) { try check.verify(oneKey) }
        do {
            try check.verify(twoKey)
            Issue.record("a key known_hosts does not list was accepted")
        } catch {
            #expect(error.description.contains("SHA256:"))
            #expect(error.description.contains("\(file.path)"))
        }
    }

    @Test("a pin accepts its key only")
    func pinnedHostKey() async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        let one = try keys.publicKey(try await keys.make("one", ["-t", "ed25519", "-N", ""]))
        let two = try keys.publicKey(try await keys.make("two", ["-t", "ed25519", "-N", ""]))
        let check = SSHHostKeyCheck(trust: .pinned(one), address: HostPort(host: "127.0.0.1", port: 22))
        #expect(throws: Never.self) { try check.verify(try NIOSSHPublicKey(openSSHPublicKey: one)) }
        #expect(throws: SSHHostKeyError.self) { try check.verify(try NIOSSHPublicKey(openSSHPublicKey: two)) }
    }

    // MARK: Configuration

    private func config(_ resource: String, keys: GeneratedKeys) throws -> BrokerConfig {
        try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: http://127.0.0.1:9400
                    audience: hoop
                resources:
                \(resource)
                """,
            relativeTo: keys.directory
        )
    }

    /// A masking block on an ssh resource, indented for the resource lists below.
    static let masked = "masking:\n      detectors: [email]"

    @Test("an ssh resource loads with exec-only defaults; with masking, file transfer is off as well")
    func sshResourceDefaults() async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        let key = try await keys.make("broker", ["-t", "ed25519", "-N", ""])
        let pin = try keys.publicKey(key)
        let resource = """
              - name: web-1
                type: ssh
                address: 127.0.0.1:2222
                username: deploy
                private_key_file: broker
                host_key: "\(pin)"
            """
        let loaded = try config(resource, keys: keys)
        let ssh = try #require(loaded.resources.first?.ssh)
        #expect(ssh.username == "deploy")
        #expect(ssh.credential == .privateKeyFile(key.standardizedFileURL))
        #expect(ssh.hostKey == .pinned(pin))
        #expect(!ssh.allowShell)
        #expect(!ssh.allowPortForwarding)
        #expect(ssh.allowSFTP)
        #expect(loaded.resources.first?.type == .ssh)

        // sftp bytes would pass the output masker unread, so a masked resource does not relay them by default.
        let masked = try #require(try config(resource + "\n    " + Self.masked, keys: keys).resources.first)
        #expect(masked.masking?.detectors == [.email])
        #expect(masked.ssh?.allowSFTP == false)
        #expect(masked.ssh?.allowPortForwarding == false)
    }

    @Test("ssh guardrails name command classes; unreadable commands and env requests have their own settings")
    func sshGuardrailSettings() async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        let pin = try keys.publicKey(try await keys.make("broker", ["-t", "ed25519", "-N", ""]))
        let resource = """
              - name: web-1
                type: ssh
                address: 127.0.0.1:2222
                username: deploy
                private_key_file: broker
                host_key: "\(pin)"
                unreadable_commands: { action: require_approval, approvers: [sre], min_approvals: 2 }
                allow_env: [LANG, "LC_*", APP_MODE]
                guardrails:
                  - match: [recursive_delete, privilege_escalation]
                    action: block
                  - match: { classes: [package_install], command: ["deploy *"] }
                    action: require_approval
                    approvers: [sre]
            """
        let loaded = try #require(try config(resource, keys: keys).resources.first)
        #expect(
            loaded.guardrails.map(\.match.commandClasses) == [
                [.recursiveDelete, .privilegeEscalation], [.packageInstall],
            ])
        #expect(loaded.guardrails[1].match.commands == ["deploy *"])
        #expect(
            loaded.ssh?.unreadableCommands == .requireApproval(ApprovalRequirement(approvers: ["sre"], minApprovals: 2))
        )
        #expect(loaded.ssh?.allowEnv == EnvironmentFilter(allowed: ["LANG", "LC_*", "APP_MODE"]))
        let defaults = try #require(
            try config(resource.components(separatedBy: "\n").prefix(6).joined(separator: "\n"), keys: keys)
                .resources.first?.ssh)
        #expect(defaults.unreadableCommands == .refuse)
        #expect(defaults.allowEnv == EnvironmentFilter())
    }

    @Test(
        "bad ssh resources are refused with the path of the problem",
        arguments: [
            ("username: d\n    password_env: X\n    private_key_file: broker\n    host_key: PIN", "not several"),
            ("username: d\n    host_key: PIN", "needs private_key_file, password_env or password_file"),
            ("username: d\n    private_key_file: broker", "needs host_key"),
            ("username: d\n    private_key_file: missing\n    host_key: PIN", "cannot be read"),
            ("username: d\n    private_key_file: broker\n    host_key: not-a-key", "is not an OpenSSH public key"),
            ("username: d\n    private_key_file: broker\n    host_key: PIN\n    allow_shell: yes", "true or false"),
            ("username: d\n    private_key_file: broker\n    host_key: PIN\n    allow_shel: true", "unknown key"),
            ("username: d\n    password_env: HOOP_UNSET_PASSWORD\n    host_key: PIN", "is not set"),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    allow_sftp: true\n    MASKED",
                "with masking"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    allow_port_forwarding: true\n    MASKED",
                "with masking"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    MASKED\n      columns: {'*.email': redact}",
                "no columns"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    GUARD [recursive_delet]",
                "unknown command class 'recursive_delet'"
            ),
            ("username: d\n    private_key_file: broker\n    host_key: PIN\n    GUARD [drop]", "unknown command class"),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    GUARD {classes: [sudo]}",
                "unknown command class 'sudo'"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    unreadable_commands: maybe",
                "expected refuse"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    unreadable_commands: "
                    + "{action: require_approval}",
                "name at least one approver group"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    allow_env: [LANG, 'LD_*']",
                "would allow LD_"
            ),
            (
                "username: d\n    private_key_file: broker\n    host_key: PIN\n    allow_env: ['*']",
                "changes what the target's shell runs"
            ),
        ]
    )
    func badSSHResources(_ body: String, _ message: String) async throws {
        let keys = try GeneratedKeys()
        defer { keys.remove() }
        let pin = try keys.publicKey(try await keys.make("broker", ["-t", "ed25519", "-N", ""]))
        let text =
            "  - name: web-1\n    type: ssh\n    address: 127.0.0.1:22\n    "
            + body.replacingOccurrences(of: "PIN", with: "\"\(pin)\"").replacingOccurrences(
                of: "MASKED", with: Self.masked
            ).replacingOccurrences(of: "GUARD ", with: "guardrails: [{action: block, match: ")
            + (body.contains("GUARD") ? "}]" : "")
        do {
            _ = try config(text, keys: keys)
            Issue.record("accepted: \(body)")
        } catch let error as ConfigError {
            #expect(error.path.hasPrefix("resources[0]"), "\(error)")
            #expect(error.message.contains(message), "\(error)")
        } catch {
            Issue.record("not a config error: \(error)")
        }
    }
}

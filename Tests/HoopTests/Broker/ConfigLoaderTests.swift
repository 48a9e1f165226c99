import Foundation
import HoopCore
import Testing

@testable import Broker

@Suite("Broker configuration")
struct ConfigLoaderTests {
    let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    @Test("the issue's example config loads as written")
    func exampleConfig() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                listen: 127.0.0.1:8443
                data_dir: ./.hoop-broker
                identity:
                  - issuer: http://127.0.0.1:9400     # http is accepted for loopback issuers only
                    audience: hoop
                    groups_claim: groups
                resources:
                  - name: pg-demo
                    type: tcp                         # later issues add postgres, mysql, ssh, http
                    address: 127.0.0.1:55432
                    allow_groups: [eng, agents]
                    max_session: 1h
                """,
            relativeTo: base
        )
        #expect(config.listen == HostPort(host: "127.0.0.1", port: 8443))
        #expect(config.dataDir.path == "/etc/hoop/.hoop-broker")
        #expect(config.identity.first?.algorithms == ["RS256", "ES256", "EdDSA"])
        #expect(config.resources.first?.address == HostPort(host: "127.0.0.1", port: 55432))
        #expect(config.resources.first?.allowGroups == ["eng", "agents"])
        #expect(config.resources.first?.maxSession == 3600)
    }

    @Test("the starter config written by `broker init` loads")
    func starterConfig() throws {
        let config = try ConfigLoader.parse(yaml: StarterConfig.text, relativeTo: base)
        #expect(config.resources.map(\.name) == ["pg-demo"])
        #expect(config.adminGroups == ["admins"])
    }

    @Test("environment overrides win over the file")
    func environmentOverrides() throws {
        let config = try ConfigLoader.parse(
            yaml: StarterConfig.text,
            relativeTo: base,
            environment: ["HOOP_LISTEN": "127.0.0.1:9999", "HOOP_DATA_DIR": "/var/lib/hoop"]
        )
        #expect(config.listen.port == 9999)
        #expect(config.dataDir.path == "/var/lib/hoop")
    }

    @Test(
        "bad configs are refused with the path of the problem",
        arguments: [
            ("identity: []", "identity", "at least one identity provider"),
            (
                "identity: [{issuer: http://idp.example.com, audience: hoop}]", "identity[0].issuer",
                "loopback issuers only"
            ),
            (
                "identity: [{issuer: https://idp.example.com, audience: hoop, algorithms: [HS256]}]",
                "identity[0].algorithms", "HS256 is not allowed"
            ),
            ("identity: [{issuer: https://idp.example.com}]", "identity[0].audience", "is required"),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nbroker_name: \"b1; rm -rf /\"", "broker_name",
                "expected 1 to 63 letters"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nbroker_name: \(String(repeating: "b", count: 64))",
                "broker_name", "expected 1 to 63 letters"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nresources: [{name: x, type: tcp, address: nope}]",
                "resources[0].address", "expected host:port"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nresources: [{name: x, type: ftp, address: h:1}]",
                "resources[0].type", "unknown type 'ftp'"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nresources: [{name: x, type: tcp, address: h:1, allow_group: [a]}]",
                "resources[0].allow_group", "unknown key"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nresources: [{name: x, type: tcp, address: h:1, max_session: soon}]",
                "resources[0].max_session", "expected a duration"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\nresources: [{name: x, type: tcp, address: h:1}, {name: x, type: tcp, address: h:2}]",
                "resources", "used twice"
            ),
            ("listen: 127.0.0.1:99999\nidentity: [{issuer: https://i.example, audience: a}]", "listen", "port"),
            ("listen: [unclosed", "", "not valid YAML"),
            (
                "identity: [{issuer: https://i.example, audience: a}]\naudit: {signing_command: [sign], public_key: x}",
                "audit.signing_command", "absolute program path"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\naudit: {signing_command: [/usr/bin/sign]}",
                "audit.public_key", "is required with signing_command"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\naudit: {signing_command: [/usr/bin/sign], public_key: ed25519:AAAA}",
                "audit.public_key", "32 bytes"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\naudit: {signing_key_env: K, signing_command: [/s], public_key: x}",
                "audit.signing_command", "not both"
            ),
            (
                "identity: [{issuer: https://i.example, audience: a}]\naudit: {signing_key_env: K, public_key: x}",
                "audit.public_key", "only goes with signing_command"
            ),
        ]
    )
    func rejected(yaml: String, path: String, fragment: String) {
        #expect {
            try ConfigLoader.parse(yaml: yaml, relativeTo: base)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.path == path && error.message.contains(fragment)
        }
    }

    @Test("the audit key's source: the data dir by default, a file or variable, or a signing command with its key")
    func auditKeySources() throws {
        let identity = "identity: [{issuer: https://i.example, audience: a}]\n"
        #expect(try ConfigLoader.parse(yaml: identity, relativeTo: base).evidence.auditKey == .dataDir)
        let file = try ConfigLoader.parse(
            yaml: identity + "audit: {signing_key_file: keys/audit.key}", relativeTo: base)
        #expect(file.evidence.auditKey == .secret(.file(URL(fileURLWithPath: "/etc/hoop/keys/audit.key"))))
        let variable = try ConfigLoader.parse(yaml: identity + "audit: {signing_key_env: AUDIT_KEY}", relativeTo: base)
        #expect(variable.evidence.auditKey == .secret(.environment("AUDIT_KEY")))
        let key = "ed25519:" + Data(repeating: 1, count: 32).base64EncodedString()
        let command = try ConfigLoader.parse(
            yaml: identity + "audit: {signing_command: [/usr/bin/sign, --key, k1], public_key: '\(key)'}",
            relativeTo: base)
        guard case .command(let arguments, let publicKey) = command.evidence.auditKey else {
            Issue.record("expected a signing command")
            return
        }
        #expect(arguments == ["/usr/bin/sign", "--key", "k1"])
        #expect(publicKey.text == key)
    }

    static let postgresBase = """
        identity: [{issuer: https://i.example, audience: a}]
        resources:
          - name: pg
            type: postgres
            address: 127.0.0.1:5432
            database: app
            username: reader

        """

    @Test("a postgres resource holds a credential reference, checked at load but not stored")
    func postgresResource() throws {
        let config = try ConfigLoader.parse(
            yaml: Self.postgresBase + "    password_env: PG_PASS\n    tls: verify-full\n    ca_file: ca.pem\n",
            relativeTo: base,
            environment: ["PG_PASS": "s3cret"]
        )
        let target = try #require(config.resources.first?.postgres)
        #expect(target.password == .environment("PG_PASS"))
        #expect(target.tls == .verifyFull)
        #expect(target.caFile?.path == "/etc/hoop/ca.pem")
        #expect(config.resources.first?.recordRows == 100)
        // Operator commands that never reach a target load the same file without the secret present.
        #expect(throws: Never.self) {
            try ConfigLoader.parse(
                yaml: Self.postgresBase + "    password_env: PG_PASS\n",
                relativeTo: base,
                checkSecrets: false
            )
        }
    }

    @Test(
        "postgres resources are validated with precise paths",
        arguments: [
            ("", "resources[0]", "needs password_env or password_file"),
            ("    password_env: A\n    password_file: /x\n", "resources[0]", "not both"),
            ("    password_env: MISSING_VAR\n", "resources[0].password_env", "MISSING_VAR is not set"),
            ("    password_file: /nonexistent/secret\n", "resources[0].password_file", "cannot be read"),
            ("    password_env: PG_PASS\n    tls: maybe\n", "resources[0].tls", "expected one of disable"),
            ("    password_env: PG_PASS\n    record_rows: lots\n", "resources[0].record_rows", "whole number"),
        ]
    )
    func postgresRejected(extra: String, path: String, fragment: String) {
        #expect {
            try ConfigLoader.parse(
                yaml: Self.postgresBase + extra,
                relativeTo: base,
                environment: ["PG_PASS": "s3cret"]
            )
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.path == path && error.message.contains(fragment)
        }
    }

    @Test("masking hash tokens are scoped per identity unless the resource opts into sharing them")
    func maskingHashScope() throws {
        func load(_ scope: String) throws -> ResourceConfig? {
            try ConfigLoader.parse(
                yaml: Self.postgresBase + "    password_env: PG_PASS\n    masking:\n      strategy: hash\n" + scope,
                relativeTo: base, environment: ["PG_PASS": "s3cret"]
            ).resources.first
        }
        #expect(try load("")?.masking?.hashScope == .identity)
        #expect(try load("      hash_scope: resource\n")?.masking?.hashScope == .resource)
        #expect {
            try load("      hash_scope: everyone\n")
        } throws: { error in
            (error as? ConfigError)?.path == "resources[0].masking.hash_scope"
        }
    }

    @Test("durations parse in the config's units and print back")
    func durations() {
        #expect(DurationText.parse("90s") == 90)
        #expect(DurationText.parse("1h30m") == 5_400)
        #expect(DurationText.parse("2d") == 172_800)
        #expect(DurationText.parse("45") == 45)
        #expect(DurationText.parse("1x") == nil)
        #expect(DurationText.parse("h") == nil)
        #expect(DurationText.format(5_400) == "1h30m")
    }
}

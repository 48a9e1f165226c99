import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

/// The engine descriptors are the only place a resource type's abilities are declared; these tests pin what each
/// one lets a config say, and that the loader, the session manager and the gate get their answers from them.
@Suite("Broker: engine catalog")
struct EngineCatalogTests {
    let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    private func load(_ resource: String, environment: [String: String] = [:]) throws -> BrokerConfig {
        try ConfigLoader.parse(
            yaml: """
                identity: [{issuer: http://127.0.0.1:9400, audience: hoop}]
                resources:
                  - name: r
                    address: 127.0.0.1:5432
                \(resource)
                """,
            relativeTo: base,
            environment: environment
        )
    }

    @Test("each registered type appears once, and the unknown-type message lists them all")
    func catalogIsTheListOfTypes() throws {
        let types = EngineCatalog.knownTypes
        #expect(Set(types).count == types.count)
        #expect(Set(types) == [.tcp, .postgres, .mysql, .ssh, .mcp, .http, .kubernetes])
        do {
            _ = try load("    type: gopher")
            Issue.record("an unknown type must be refused")
        } catch let error as ConfigError {
            #expect(error.path == "resources[0].type")
            for type in types { #expect(error.message.contains(type.rawValue)) }
        }
    }

    @Test("a resource's target is the type its engine parsed, and no other engine's")
    func typedTargets() throws {
        let postgres = try #require(
            try load(
                "    type: postgres\n    database: app\n    username: u\n    password_env: PW",
                environment: ["PW": "secret"]
            ).resources.first)
        #expect(postgres.postgres?.database == "app")
        #expect(postgres.ssh == nil)
        #expect(postgres.target(as: AddressOnlyTarget.self) == nil)
        let tcp = try #require(try load("    type: tcp").resources.first)
        #expect(tcp.target(as: AddressOnlyTarget.self) != nil)
        #expect(tcp.postgres == nil)
    }

    @Test(
        "controls an engine cannot enforce are refused at load, with the engine named",
        arguments: [
            ("    type: tcp\n    masking: {detectors: [email]}", "resources[0].masking", "tcp engine relays opaque"),
            (
                "    type: tcp\n    guardrails: [{match: [drop], action: block}]", "resources[0].guardrails",
                "tcp resources carry no statements"
            ),
            (
                "    type: postgres\n    database: a\n    username: u\n    password_env: PW\n"
                    + "    guardrails: [{match: {command: 'rm *'}, action: block}]",
                "resources[0].guardrails[0].match.command", "judges statements"
            ),
        ])
    func capabilitiesGateTheConfig(resource: String, path: String, message: String) throws {
        do {
            _ = try load(resource, environment: ["PW": "secret"])
            Issue.record("expected a refusal for \(resource)")
        } catch let error as ConfigError {
            #expect(error.path == path)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test(
        "held secrets are read through one helper: env or file, never both, checked when secrets are",
        arguments: [
            ("    password_env: A\n    password_file: /x", "resources[0]", "not both"),
            ("    password_env: UNSET_FOR_TEST", "resources[0].password_env", "UNSET_FOR_TEST is not set"),
            ("    password_file: /nonexistent/pw", "resources[0].password_file", "cannot be read"),
        ])
    func secretReferences(keys: String, path: String, message: String) throws {
        do {
            _ = try load("    type: postgres\n    database: a\n    username: u\n" + keys)
            Issue.record("expected a refusal for \(keys)")
        } catch let error as ConfigError {
            #expect(error.path == path)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("without secrets to check (operator commands), a missing credential still loads")
    func secretsUncheckedForOperatorCommands() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                identity: [{issuer: http://127.0.0.1:9400, audience: hoop}]
                resources:
                  - {name: r, type: postgres, address: 127.0.0.1:5432, database: a, username: u, password_env: NONE}
                """,
            relativeTo: base, checkSecrets: false)
        #expect(config.resources.first?.postgres?.password == .environment("NONE"))
    }

    @Test("client logins come from the engine: postgres and ssh issue one, tcp none")
    func clientLoginsFromEngines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("engines-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try EngineRegistry(
            EngineEnvironment(logger: Logger(label: "test"), dataDir: directory, maskers: [:]))
        let config = try load(
            "    type: postgres\n    database: app\n    username: u\n    password_env: PW", environment: ["PW": "x"])
        let resource = try #require(config.resources.first)

        let postgres = try #require(try registry.engine(for: .postgres).clientLogin(for: resource))
        #expect(postgres.user == "hoop")
        #expect(postgres.database == "app")
        #expect(postgres.password.count == 32)
        let again = try #require(try registry.engine(for: .postgres).clientLogin(for: resource))
        #expect(again.password != postgres.password)

        let ssh = try #require(try registry.engine(for: .ssh).clientLogin(for: resource))
        #expect(ssh.hostKey?.hasPrefix("ssh-ed25519 ") == true)
        #expect(try registry.engine(for: .tcp).clientLogin(for: resource) == nil)

        #expect(throws: BrokerError.self) { try registry.engine(for: ResourceType(rawValue: "gopher")) }
    }
}

import Foundation
import Testing

@testable import Broker

/// `store:`: the embedded SQLite file unless a PostgreSQL database is named, and every mistake refused with the key.
@Suite("Broker configuration: the store")
struct StoreConfigTests {
    let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    func parse(_ store: String, environment: [String: String] = ["STORE_PW": "secret"]) throws -> BrokerConfig {
        try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: http://127.0.0.1:9400
                    audience: hoop
                \(store)
                """,
            relativeTo: base, environment: environment)
    }

    @Test("omitted, the store is the embedded SQLite file")
    func embeddedByDefault() throws {
        #expect(try parse("").store == .embedded)
    }

    @Test("a PostgreSQL store loads with its defaults, and with every key set")
    func postgres() throws {
        let minimal = try parse(
            """
            store:
              url: postgres://hoop@db.internal/hoop
            """)
        #expect(
            minimal.store
                == .postgres(PostgresStoreConfig(host: "db.internal", port: 5432, user: "hoop", database: "hoop")))
        let full = try parse(
            """
            store:
              url: postgresql://broker@10.0.0.5:6432/state
              password_env: STORE_PW
              tls: verify-full
              ca_file: certs/store-ca.pem
              max_connections: 200
            """)
        #expect(
            full.store
                == .postgres(
                    PostgresStoreConfig(
                        host: "10.0.0.5", port: 6432, user: "broker", database: "state",
                        password: .environment("STORE_PW"), tls: .verifyFull,
                        caFile: URL(fileURLWithPath: "/etc/hoop/certs/store-ca.pem"), maxConnections: 200)))
        let directory = try TestEnvironment.scratchDirectory("store-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("store-password")
        try "secret\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        let local = try parse(
            """
            store:
              url: postgres://hoop@localhost:5433/hoop
              password_file: \(passwordFile.path)
              tls: disable
            """)
        guard case .postgres(let config) = local.store else {
            Issue.record("expected a PostgreSQL store")
            return
        }
        #expect(config.tls == .disable && config.password == .file(passwordFile.standardizedFileURL))
    }

    @Test(
        "bad store settings are refused with the key and the reason",
        arguments: [
            ("store: {}", "store.url", "required"),
            ("store: { url: 'mysql://hoop@db/hoop' }", "store.url", "expected postgres://"),
            ("store: { url: 'postgres://hoop:hunter2@db/hoop' }", "store.url", "must not contain a password"),
            ("store: { url: 'postgres://db/hoop' }", "store.url", "names no user"),
            ("store: { url: 'postgres://hoop@db' }", "store.url", "names no database"),
            ("store: { url: 'postgres://hoop@db/hoop?sslmode=disable' }", "store.url", "takes no query"),
            ("store: { url: 'postgres://hoop@db/hoop', tls: prefer }", "store.tls", "expected one of verify-full"),
            ("store: { url: 'postgres://hoop@db.internal/hoop', tls: disable }", "store.tls", "loopback host only"),
            (
                "store: { url: 'postgres://hoop@db/hoop', tls: require, ca_file: ca.pem }", "store.ca_file",
                "verify-full"
            ),
            ("store: { url: 'postgres://hoop@db/hoop', max_connections: 0 }", "store.max_connections", "from 1 to 200"),
            (
                "store: { url: 'postgres://hoop@db/hoop', max_connections: 201 }", "store.max_connections",
                "from 1 to 200"
            ),
            (
                "store: { url: 'postgres://hoop@db/hoop', password_env: A, password_file: b }", "store",
                "password_env or password_file, not both"
            ),
            ("store: { url: 'postgres://hoop@db/hoop', password_env: MISSING }", "store.password_env", "is not set"),
            ("store: { url: 'postgres://hoop@db/hoop', pasword_env: STORE_PW }", "store.pasword_env", "unknown key"),
        ]
    )
    func refused(store: String, path: String, message: String) {
        #expect {
            try parse(store)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.path == path && error.message.contains(message)
        }
    }
}

import Foundation
import Testing

@testable import Broker

extension StoreConformanceTests {
    /// The operator commands open the configured store through `StoreFactory`, as the broker does: run against a
    /// PostgreSQL store, they read and write the database, not a SQLite file in the data directory.
    @Suite("operator commands on a shared store")
    struct Commands {
        @Test(
            "broker pubkey --vkey names the database's log; rotate-audit-key appends and checkpoints there; broker audit checks it"
        )
        func pubkeyAndRotation() async throws {
            try await StoreFixture.with(.postgres) { fixture in
                let store = try #require(fixture.postgresConfig)
                let directory = try TestEnvironment.scratchDirectory("store-commands")
                defer { try? FileManager.default.removeItem(at: directory) }
                let configFile = directory.appendingPathComponent("broker.yaml")
                try """
                data_dir: \(directory.appendingPathComponent("data").path)
                identity:
                  - issuer: http://127.0.0.1:9400
                    audience: hoop
                audit:
                  log_origin: shared.example/log
                store:
                  url: postgres://\(store.user)@\(store.host):\(store.port)/\(store.database)
                  password_env: HOOP_STORE_PASSWORD
                  ca_file: \(store.caFile!.path)
                """.write(to: configFile, atomically: true, encoding: .utf8)
                let broker = { (arguments: [String]) in
                    try await ChildProcess.run(
                        TestEnvironment.hoopctl, ["broker"] + arguments + ["--config", configFile.path],
                        environment: ["HOOP_STORE_PASSWORD": PostgresServer.password])
                }
                let vkey = try await broker(["pubkey", "--vkey"])
                #expect(vkey.status == 0, "\(vkey.stderr)")
                #expect(vkey.stdout.hasPrefix("shared.example/log+"), "\(vkey.stdout)")
                #expect(
                    try await fixture.execute("SELECT value FROM log_meta WHERE key = 'origin'") == "shared.example/log"
                )

                let rotated = try await broker(["rotate-audit-key"])
                #expect(rotated.status == 0, "\(rotated.stderr)")
                #expect(
                    try await fixture.execute("SELECT string_agg(action, ',' ORDER BY seq) FROM audit_events")
                        == "audit.key_rotated")
                #expect(
                    try await fixture.execute("SELECT string_agg(size::text, ',' ORDER BY size) FROM tree_checkpoints")
                        == "0,1")
                #expect(
                    !FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/broker.db").path))

                // The operator's check reads the shared log, and catches an edit made in the database.
                let intact = try await broker(["audit"])
                #expect(intact.status == 0, "\(intact.stderr)")
                #expect(intact.stdout.contains("audit.key_rotated"), "\(intact.stdout)")
                #expect(intact.stdout.contains("audit log intact: shared.example/log, 1 events"), "\(intact.stdout)")
                #expect(intact.stdout.contains("2 signed checkpoints verified"), "\(intact.stdout)")
                _ = try await fixture.execute("UPDATE audit_events SET actor = 'nobody' WHERE seq = 1")
                let edited = try await broker(["audit"])
                #expect(edited.status == 1)
                #expect(edited.stderr.contains("seq 1"), "\(edited.stderr)")

                let refused = try await ChildProcess.run(
                    TestEnvironment.hoopctl, ["broker", "pubkey", "--vkey", "--config", configFile.path])
                #expect(refused.status != 0)
                #expect(refused.stderr.contains("HOOP_STORE_PASSWORD"), "\(refused.stderr)")
            }
        }
    }
}

import Foundation
import Testing

/// The audit key outside the data dir it protects: an external signing command (a stand-in for an HSM or KMS front
/// end) or a key from the environment signs the evidence, exports verify under that key alone, and a store wiped
/// and started over is caught by its missing signed genesis.
@Suite("End to end: audit signing key outside the data dir", .serialized)
struct AuditSigningKeyEndToEndTests {
    static let signer = TestEnvironment.repositoryRoot.appendingPathComponent("testing/audit-signer/sign.py").path

    /// A fresh signing key in its own directory (never the broker's), and its public half.
    static func externalKey() async throws -> (file: String, publicKey: String) {
        let file = try TestEnvironment.scratchDirectory("audit-key").appendingPathComponent("audit.key").path
        let made = try await ChildProcess.run("/usr/bin/python3", [signer, "--generate", file])
        #expect(made.status == 0, "\(made.stderr)")
        let publicKey = try await ChildProcess.run("/usr/bin/python3", [signer, file, "--public"])
        return (file, publicKey.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func brokerCommand(_ broker: BrokerProcess, _ arguments: [String]) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await ChildProcess.run(
            TestEnvironment.hoopctl, ["broker"] + arguments + ["--config", broker.configFile.path])
    }

    @Test("an external signing command signs every checkpoint; exports verify under its key; a wiped store is caught")
    func signingCommand() async throws {
        let key = try await Self.externalKey()
        let yaml = """
            audit:
              signing_command: [/usr/bin/python3, \(Self.signer), \(key.file)]
              public_key: \(key.publicKey)
            """
        try await EvidenceEndToEndTests.withStack(extraYAML: yaml) { _, _, broker, agent, auditor in
            _ = try await EvidenceEndToEndTests.runSession(agent)
            let published = try await Self.brokerCommand(broker, ["pubkey"])
            #expect(published.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == key.publicKey)
            #expect(
                !FileManager.default.fileExists(
                    atPath: broker.dataDir.appendingPathComponent("keys/audit-ed25519.key").path),
                "no audit key is created in the data dir")

            let bundle = broker.directory.appendingPathComponent("bundle").path
            let export = try await auditor.run(["audit", "export", "--out", bundle])
            #expect(export.status == 0, "\(export.stderr)")
            let pubkey = broker.directory.appendingPathComponent("audit.pub").path
            try (key.publicKey + "\n").write(toFile: pubkey, atomically: true, encoding: .utf8)
            let verify = try await auditor.run(["audit", "verify", bundle, "--pubkey", pubkey])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

            await broker.stop()
            let intact = try await Self.brokerCommand(broker, ["audit"])
            #expect(intact.status == 0, "\(intact.stderr)")
            #expect(intact.stdout.contains("signed checkpoints verified"))

            // Whoever holds the data dir wipes the log and its checkpoints: without the key there is no new genesis.
            let database = broker.dataDir.appendingPathComponent("broker.db").path
            let wipe = try await ChildProcess.run(
                "/usr/bin/sqlite3",
                [database, "delete from tree_checkpoints; delete from audit_tree_nodes; delete from audit_events"])
            #expect(wipe.status == 0, "\(wipe.stderr)")
            let wiped = try await Self.brokerCommand(broker, ["audit"])
            #expect(wiped.status == 1)
            #expect(wiped.stderr.contains("no signed genesis checkpoint"), "\(wiped.stderr)")
        }
    }

    @Test("a key from the environment signs; a signer whose signatures do not match public_key stops the broker")
    func environmentKeyAndWrongSigner() async throws {
        let key = try await Self.externalKey()
        let seed = try String(contentsOfFile: key.file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(
                issuer: idp.issuer, resourcesYAML: "  []",
                extraYAML: "audit:\n  signing_key_env: HOOP_AUDIT_SIGNING_KEY",
                environment: ["HOOP_AUDIT_SIGNING_KEY": seed])
            defer { broker.remove() }
            try await broker.stoppingAfter {
                let pubkey = try await ChildProcess.run(
                    TestEnvironment.hoopctl, ["broker", "pubkey", "--config", broker.configFile.path],
                    environment: ["HOOP_AUDIT_SIGNING_KEY": seed])
                #expect(pubkey.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == key.publicKey)
            }
            let unset = try await Self.brokerCommand(broker, ["pubkey"])
            #expect(unset.status != 0)
            #expect(unset.stderr.contains("HOOP_AUDIT_SIGNING_KEY"), "\(unset.stderr)")

            // A signer answering with another key than the one auditors pin cannot start the broker.
            let other = try await Self.externalKey()
            var config = try String(contentsOf: broker.configFile, encoding: .utf8)
            config = config.replacingOccurrences(
                of: "audit:\n  signing_key_env: HOOP_AUDIT_SIGNING_KEY",
                with: "audit:\n  signing_command: [/usr/bin/python3, \(Self.signer), \(key.file)]\n"
                    + "  public_key: \(other.publicKey)")
            try config.write(to: broker.configFile, atomically: true, encoding: .utf8)
            let serve = try await ChildProcess.run(
                TestEnvironment.hoopctl, ["broker", "serve", "--config", broker.configFile.path])
            #expect(serve.status != 0)
            #expect(serve.stderr.contains("does not verify under audit.public_key"), "\(serve.stderr)")
        }
    }
}

import Foundation
import HoopCore
import Testing

/// The transparency log end to end: a broker offers its checkpoints to a real `hoopctl witness serve` process and to
/// a file witness; an auditor exports, verifies offline as witnessed, checks the same bundle with the independent
/// Python verifier, proves one event alone, and proves a later bundle extends the earlier one. A broker whose store
/// is rolled back is caught by the witness; a broker with fail-closed witnessing stops admitting work while its
/// witness is gone and resumes when it is back.
@Suite("End to end: transparency log and witnesses", .serialized)
struct TransparencyEndToEndTests {
    static func withWitnessedStack(
        failClosed: Bool = false,
        _ body: (WitnessProcess, BrokerProcess, ClientCLI, ClientCLI, URL) async throws -> Void
    ) async throws {
        let witness = try await WitnessProcess()
        defer { witness.remove() }
        let checkpointFile = witness.directory.appendingPathComponent("shipped-checkpoints.jsonl")
        try await EvidenceEndToEndTests.withStack(
            extraYAML: witness.brokerYAML(file: checkpointFile, failClosed: failClosed)
        ) { _, _, broker, agent, auditor in
            do {
                try await body(witness, broker, agent, auditor, checkpointFile)
            } catch {
                await witness.stop()
                throw error
            }
            await witness.stop()
        }
    }

    static func logKey(_ broker: BrokerProcess) async throws -> String {
        let printed = try await ChildProcess.run(
            TestEnvironment.hoopctl, ["broker", "pubkey", "--vkey", "--config", broker.configFile.path])
        guard printed.status == 0 else { throw PeerError("broker pubkey --vkey failed: \(printed.stderr)") }
        return printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("witnessed export, Python interop, a single-event proof, and a later bundle that extends the first")
    func witnessedEvidence() async throws {
        try await Self.withWitnessedStack { witness, broker, agent, auditor, checkpointFile in
            let logKey = try await Self.logKey(broker)
            #expect(logKey.hasPrefix("audit.test/e2e+"))
            try await witness.start(log: logKey)
            _ = try await EvidenceEndToEndTests.runSession(agent)
            let pubkey = try await Evidence.publishedKey(broker)
            let events = try await Evidence.auditEvents(broker)
            let loaded = try #require(events.first { $0.kind == .brokerStart }?.details["policies"]?["pg-audited"])
            let granted = try #require(events.first { $0.kind == .sessionGrant }?.details["policy_sha256"])
            #expect(loaded == granted && loaded.stringValue?.count == 64, "the grant names the policy loaded")

            let first = broker.directory.appendingPathComponent("bundle-1").path
            let export = try await auditor.run(["audit", "export", "--out", first])
            #expect(export.status == 0, "\(export.stderr)")
            let verify = try await auditor.run([
                "audit", "verify", first, "--pubkey", pubkey, "--witness-key", witness.vkey, "--min-witnesses", "1",
                "--output", "json",
            ])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains(#""status":"witnessed""#), "\(verify.stdout)")
            #expect(verify.stdout.contains(WitnessProcess.name))

            let python = try await ChildProcess.run(
                "/usr/bin/env",
                [
                    "python3",
                    TestEnvironment.repositoryRoot.appendingPathComponent("testing/evidence-verifier/verify.py")
                        .path, "bundle", first, "--pubkey",
                    try String(contentsOfFile: pubkey, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                    "--witness-key", witness.vkey, "--min-witnesses", "1",
                ])
            #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
            #expect(
                python.stdout.contains(#""status": "witnessed""#) || python.stdout.contains(#""status":"witnessed""#))

            let proofFile = broker.directory.appendingPathComponent("proof.json").path
            let prove = try await auditor.run(["audit", "prove", "3", "--out", proofFile])
            #expect(prove.status == 0, "\(prove.stderr)")
            let proof = try await auditor.run([
                "audit", "verify", proofFile, "--pubkey", pubkey, "--witness-key", witness.vkey,
            ])
            #expect(proof.status == 0, "\(proof.stdout)\(proof.stderr)")
            #expect(proof.stdout.contains("proof verified: seq 3"), "\(proof.stdout)")
            #expect(proof.stdout.contains("witnessed by \(WitnessProcess.name)"))
            let missing = try await auditor.run(["audit", "prove", "999999"])
            #expect(missing.status != 0)

            _ = try await EvidenceEndToEndTests.runSession(agent)
            let second = broker.directory.appendingPathComponent("bundle-2").path
            #expect(try await auditor.run(["audit", "export", "--out", second]).status == 0)
            let extends = try await auditor.run([
                "audit", "verify", second, "--pubkey", pubkey, "--previous", first, "--previous", checkpointFile.path,
                "--witness-key", witness.vkey, "--min-witnesses", "1",
            ])
            #expect(extends.status == 0, "\(extends.stdout)\(extends.stderr)")
            #expect(extends.stdout.contains("extends"), "\(extends.stdout)")
            let shipped = try String(contentsOf: checkpointFile, encoding: .utf8)
            #expect(shipped.split(separator: "\n").count >= 2, "the file witness received every checkpoint")
            #expect(shipped.contains("audit.test/e2e"))

            // The auditor swaps the bundles: the older one does not extend the newer.
            let backwards = try await auditor.run(["audit", "verify", first, "--pubkey", pubkey, "--previous", second])
            #expect(backwards.status == 1)
            #expect(backwards.stdout.contains("the log lost events since the earlier audit"), "\(backwards.stdout)")
        }
    }

    @Test("a broker store rolled back to a backup is caught by the witness, which keeps the longer log")
    func rolledBackStore() async throws {
        try await Self.withWitnessedStack { witness, broker, agent, auditor, _ in
            try await witness.start(log: try await Self.logKey(broker))
            _ = try await EvidenceEndToEndTests.runSession(agent)
            #expect(try await auditor.run(["audit", "export", "--out", broker.directory.path + "/before"]).status == 0)
            await broker.stop()
            let database = broker.dataDir.appendingPathComponent("broker.db")
            let backup = broker.directory.appendingPathComponent("backup.db")
            try FileManager.default.copyItem(at: database, to: backup)

            let restarted = try await BrokerProcess(
                restarting: broker, environment: ["PG_PASSWORD": PostgresServer.password])
            _ = try await EvidenceEndToEndTests.runSession(agent)
            #expect(try await auditor.run(["audit", "export", "--out", broker.directory.path + "/after"]).status == 0)
            await restarted.stop()

            // Restore the backup (and drop its WAL) as an operator hiding the newer sessions would.
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: database.path + suffix)
            }
            try FileManager.default.copyItem(at: backup, to: database)
            let rolledBack = try await BrokerProcess(
                restarting: broker, environment: ["PG_PASSWORD": PostgresServer.password])
            try await rolledBack.stoppingAfter {
                let deadline = ContinuousClock.now + .seconds(20)
                var conflict: AuditEvent?
                while conflict == nil && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(500))
                    conflict = try await Evidence.auditEvents(rolledBack).last { $0.kind == .witnessConflict }
                }
                let found = try #require(conflict, "the broker audits that its witness holds a longer log")
                #expect(found.details["witness"]?.stringValue == WitnessProcess.name)
                let witnessSize = try #require(found.details["witness_size"]?.intValue)
                let treeSize = try #require(found.details["tree_size"]?.intValue)
                #expect(witnessSize > treeSize)
            }
        }
    }

    @Test("fail-closed witnessing refuses new sessions while the witness is gone and admits them when it is back")
    func failClosed() async throws {
        try await Self.withWitnessedStack(failClosed: true) { witness, broker, agent, _, _ in
            let logKey = try await Self.logKey(broker)
            let deadline = ContinuousClock.now + .seconds(20)
            var refused: (status: Int32, stdout: String, stderr: String)?
            while ContinuousClock.now < deadline {
                let attempt = try await agent.run(["exec", "pg-audited", "--", "select 1"])
                if attempt.status != 0 {
                    refused = attempt
                    break
                }
                try await Task.sleep(for: .milliseconds(500))
            }
            let refusal = try #require(refused, "no session was refused within 20 s of the witness being absent")
            #expect(refusal.stderr.contains("witnessed again"), "\(refusal.stderr)")
            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.kind == .witnessUnreachable && $0.decision == .error })
            #expect(events.contains { $0.kind == .sessionDeny && $0.details["reason"] == "evidence_unwitnessed" })

            try await witness.start(log: logKey)
            var admitted = false
            let recovery = ContinuousClock.now + .seconds(20)
            while !admitted && ContinuousClock.now < recovery {
                try await Task.sleep(for: .milliseconds(500))
                admitted = try await agent.run(["exec", "pg-audited", "--", "select 1"]).status == 0
            }
            #expect(admitted, "sessions resume once the witness cosigns again")
            #expect(try await Evidence.auditEvents(broker).contains { $0.kind == .witnessRecovered })
        }
    }
}

import Foundation
import Testing

/// `--output json` on the commands that lacked it: replay (the recorded events, one per line), audit export (what
/// was written) and the broker subcommands (their facts). Every stdout line parses; CSV is refused where there is
/// no table.
@Suite("CLI: --output json everywhere", .serialized)
struct JSONOutputTests {
    static func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("replay and audit export print JSON; the broker subcommands print JSON documents")
    func jsonEverywhere() async throws {
        try await FirstHourStack.with { stack in
            let exec = try await stack.agent.run(["exec", "pg-guarded", "--output", "json", "--", "select 40 + 2"])
            #expect(exec.status == 0, "\(exec.stderr)")
            let listed = try await stack.agent.run(["sessions", "--resource", "pg-guarded", "--output", "json"])
            let sessions = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
            let id = try #require(sessions?.first?["id"] as? String, "\(listed.stdout)")

            let replay = try await stack.agent.run(["replay", id, "--output", "json"])
            #expect(replay.status == 0, "\(replay.stderr)")
            let lines = replay.stdout.split(separator: "\n")
            let events = Self.objects(replay.stdout)
            #expect(events.count == lines.count && !events.isEmpty, "every line is one event: \(replay.stdout)")
            #expect(events.first?["kind"] as? String == "start")
            #expect(events.contains { $0["kind"] as? String == "query" && "\($0)".contains("select 40 + 2") })
            let both = try await stack.agent.run(["replay", id, "--output", "json", "--format", "asciicast"])
            #expect(both.status != 0 && both.stderr.contains("one at a time"), "\(both.stderr)")

            let bundle = stack.broker.directory.appendingPathComponent("json-bundle").path
            let export = try await stack.auditor.run(["audit", "export", "--out", bundle, "--output", "json"])
            #expect(export.status == 0, "\(export.stderr)")
            let written = try #require(Self.objects(export.stdout).first)
            #expect(written["out"] as? String == bundle && written["format"] as? String == "bundle")
            #expect((written["events"] as? Int ?? 0) > 0)
            let file = stack.broker.directory.appendingPathComponent("events.jsonl").path
            let jsonl = try await stack.auditor.run(
                ["audit", "export", "--format", "jsonl", "--out", file, "--output", "json"])
            #expect(Self.objects(jsonl.stdout).first?["format"] as? String == "jsonl", "\(jsonl.stderr)")

            // Filtered by user or by resource, an export keeps the recordings of the sessions it matched, and verifies.
            let pubkey = try await Evidence.publishedKey(stack.broker)
            for filter in [["--user", "ci-agent"], ["--resource", "pg-guarded"]] {
                let directory = stack.broker.directory.appendingPathComponent("filtered-\(filter[0].dropFirst(2))")
                let filtered = try await stack.auditor.run(["audit", "export", "--out", directory.path] + filter)
                #expect(filtered.status == 0, "\(filtered.stderr)")
                let recordings =
                    (try? FileManager.default.contentsOfDirectory(
                        atPath: directory.appendingPathComponent("recordings").path)) ?? []
                #expect(recordings.contains { $0.hasPrefix(id) }, "\(filter): \(recordings)")
                let verified = try await stack.auditor.run(["audit", "verify", directory.path, "--pubkey", pubkey])
                #expect(verified.status == 0, "\(filter): \(verified.stdout)\(verified.stderr)")
            }

            let config = stack.broker.configFile.path
            let broker = { (arguments: [String]) in
                try await ChildProcess.run(TestEnvironment.hoopctl, ["broker"] + arguments + ["--config", config])
            }
            let fingerprint = Self.objects(try await broker(["fingerprint", "--output", "json"]).stdout).first
            #expect((fingerprint?["sha256"] as? String)?.contains(":") == true)
            #expect((fingerprint?["ca_file"] as? String)?.hasSuffix("ca.pem") == true)
            let key = Self.objects(try await broker(["pubkey", "--output", "json"]).stdout).first
            #expect((key?["audit_public_key"] as? String)?.hasPrefix("ed25519:") == true, "\(key ?? [:])")
            let csv = try await broker(["pubkey", "--output", "csv"])
            #expect(csv.status == 2 && csv.stderr.contains("csv is for tables"), "\(csv.stderr)")
            let starter = stack.broker.directory.appendingPathComponent("starter.yaml").path
            let initialised = try await ChildProcess.run(
                TestEnvironment.hoopctl, ["broker", "init", "--config", starter, "--output", "json"])
            #expect(Self.objects(initialised.stdout).first?["config"] as? String == starter, "\(initialised.stderr)")
        }
    }
}

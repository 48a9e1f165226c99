import Foundation
import HoopCore
import Testing

/// Every documented exit code (HoopCore.ExitStatus), produced the way a script meets it. Scripts and agents branch on these
/// numbers, so each is asserted exactly, with what the user sees alongside.
@Suite("CLI: every documented exit code", .serialized)
struct ExitCodeTests {
    @Test("0 ok, 1 error, 2 usage, 3 denied, 4 approval pending, 5 broker unreachable")
    func everyCode() async throws {
        try await FirstHourStack.with { stack in
            var seen: Set<HoopCore.ExitStatus> = []
            func expect(
                _ cli: ClientCLI, _ arguments: [String], _ status: HoopCore.ExitStatus, saying text: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws -> (stdout: String, stderr: String) {
                let run = try await cli.run(arguments)
                #expect(run.status == status.rawValue, "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
                if let text {
                    #expect(run.stderr.contains(text), "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
                }
                seen.insert(status)
                return (run.stdout, run.stderr)
            }

            _ = try await expect(stack.agent, ["whoami"], .ok)
            _ = try await expect(stack.agent, ["resources", "--output", "json"], .ok)

            // 1: the broker answered, but there is no such request; an invalid config file, without usage text.
            _ = try await expect(stack.agent, ["approvals", "show", "987654"], .error, saying: "987654")
            let badConfig = stack.broker.directory.appendingPathComponent("bad.yaml")
            try "listen: nowhere\n".write(to: badConfig, atomically: true, encoding: .utf8)
            let config = try await expect(stack.agent, ["broker", "pubkey", "--config", badConfig.path], .error)
            #expect(config.stderr.hasPrefix("hoopctl: config: "), "\(config.stderr)")
            #expect(!config.stderr.contains("USAGE") && !config.stderr.contains("Usage"), "no usage dump")
            _ = try await expect(
                stack.agent, ["broker", "audit", "--config", badConfig.path + ".missing"], .error,
                saying: ".missing")

            // 2: the command line is wrong, whatever ArgumentParser's own code would be (64).
            _ = try await expect(stack.agent, ["connect"], .usage, saying: "Missing expected argument")
            _ = try await expect(stack.agent, ["sessions", "list", "--no-such-flag"], .usage)
            _ = try await expect(stack.agent, ["connect", "pg-guarded", "--port", "70000"], .usage, saying: "port")
            _ = try await expect(stack.agent, ["approvals", "show", "not-a-number"], .usage)
            _ = try await expect(stack.agent, ["exec", "pg-guarded", "--output", "yaml", "--", "select 1"], .usage)

            // 3: not in an allowed group; a denied approval.
            _ = try await expect(
                stack.alice, ["exec", "pg-gated", "--", "select 1"], .denied, saying: "not in a group allowed")

            // 4: pending and not waited for, also when resumed with --approval while still pending.
            let pending = try await expect(
                stack.agent, ["exec", "pg-guarded", "--no-wait", "--", "DROP TABLE IF EXISTS ghost"],
                .approvalPending)
            let id = try FirstHourStack.approvalID(in: pending.stderr)
            _ = try await expect(
                stack.agent,
                ["exec", "pg-guarded", "--no-wait", "--approval", String(id), "--", "DROP TABLE IF EXISTS ghost"],
                .approvalPending, saying: "approval \(id) is pending")
            _ = try await expect(stack.alice, ["approvals", "deny", String(id), "--reason", "no ghosts"], .ok)
            _ = try await expect(
                stack.agent,
                ["exec", "pg-guarded", "--no-wait", "--approval", String(id), "--", "DROP TABLE IF EXISTS ghost"],
                .denied, saying: "denied by alice@example.com: no ghosts")

            // 5: a mistyped broker URL (nothing listens there) is unreachable, not "not logged in".
            var typo = stack.agent
            typo.environment["HOOP_BROKER"] = "https://127.0.0.1:\(try TestEnvironment.freePort())"
            let unreachable = try await expect(
                typo, ["resources"], .brokerUnreachable, saying: "cannot reach the broker")
            #expect(!unreachable.stderr.contains("not logged in"), "\(unreachable.stderr)")

            #expect(seen == Set(HoopCore.ExitStatus.allCases), "every documented code was produced")
        }
    }
}

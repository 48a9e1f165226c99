import Foundation
import Testing

/// Tab completion of what only the broker knows: resource names, session ids and pending approval ids, as the
/// shell scripts in `completions/` ask for them (`hoopctl ---completion SUBCOMMAND -- ARGUMENT CWORD CURSOR WORDS`).
/// A broker the client does not trust yet completes nothing, and quickly: a completion never prompts.
@Suite("CLI: completions that ask the broker", .serialized)
struct BrokerCompletionTests {
    /// What the shell would offer for `words`, the last of which is being completed.
    static func complete(_ cli: ClientCLI, _ path: [String], argument: String, _ words: [String]) async throws
        -> [String]
    {
        let line = ["hoopctl"] + path + words
        let arguments =
            ["---completion"] + path + ["--", argument, String(line.count - 1), String(words.last?.count ?? 0)] + line
        let run = try await cli.run(arguments, timeout: .seconds(20))
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init)
    }

    @Test("resource names by prefix, session ids, pending approval ids; an untrusted broker completes nothing")
    func fromTheBroker() async throws {
        try await FirstHourStack.with { stack in
            #expect(
                try await Self.complete(stack.agent, ["connect"], argument: "positional@0", ["pg-"])
                    == ["pg-gated", "pg-guarded"])
            #expect(
                try await Self.complete(stack.agent, ["exec"], argument: "positional@0", ["pg-gu"]) == ["pg-guarded"])
            #expect(
                try await Self.complete(stack.agent, ["sessions", "list"], argument: "--resource", ["--resource", ""])
                    == ["pg-gated", "pg-guarded"])

            let exec = try await stack.agent.run(["exec", "pg-guarded", "--no-wait", "--", "DROP TABLE nothing_here"])
            #expect(exec.status == 4, "\(exec.stderr)")
            let id = try FirstHourStack.approvalID(in: exec.stderr)
            #expect(
                try await Self.complete(stack.alice, ["approvals", "approve"], argument: "positional@0", [""])
                    .contains(String(id)))
            let sessions = try await Self.complete(stack.agent, ["replay"], argument: "positional@0", ["ses_"])
            #expect(!sessions.isEmpty && sessions.allSatisfy { $0.hasPrefix("ses_") }, "\(sessions)")

            // A client that has neither the CA nor a pin for this broker: nothing, without asking to trust it.
            var stranger = stack.agent.environment
            stranger["HOOP_CA"] = nil
            stranger["XDG_CONFIG_HOME"] = try TestEnvironment.scratchDirectory("stranger").path
            let started = ContinuousClock.now
            let run = try await ChildProcess.run(
                TestEnvironment.hoopctl,
                ["---completion", "connect", "--", "positional@0", "2", "0", "hoopctl", "connect", ""],
                environment: stranger, timeout: .seconds(20))
            #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stdout)\(run.stderr)")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}

import Foundation
import Testing

/// Output piped into a reader that stops early (`| head -1`, `| true`) is what scripts do all day: hoopctl must end
/// quietly, with status 0 and nothing on stderr, never with a fatal error and a backtrace.
@Suite("CLI: output into a closed pipe", .serialized)
struct ClosedPipeTests {
    /// Runs `hoopctl ARGUMENTS | READER` under bash and returns hoopctl's own exit status, its stderr and what the
    /// reader passed on.
    static func pipe(_ cli: ClientCLI, _ arguments: [String], into reader: String) async throws
        -> (status: Int32, stderr: String, stdout: String)
    {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        let script = """
            "$HOOPCTL" \(quoted) 2>"$ERRORS" | \(reader)
            echo "hoopctl-status=${PIPESTATUS[0]}"
            """
        let errors = cli.home.appendingPathComponent("pipe-stderr-\(UUID().uuidString.prefix(8))").path
        var environment = cli.environment
        environment["HOOPCTL"] = TestEnvironment.hoopctl
        environment["ERRORS"] = errors
        let run = try await ChildProcess.run("/bin/bash", ["-c", script], environment: environment)
        guard let match = run.stdout.firstMatch(of: /hoopctl-status=(\d+)/), let status = Int32(match.1) else {
            throw PeerError("no status from the pipeline: \(run.stdout) \(run.stderr)")
        }
        let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        return (status, stderr, String(run.stdout[..<match.range.lowerBound]))
    }

    @Test("sessions list, audit export --out - and replay end quietly when the reader closes early")
    func closedPipes() async throws {
        try await FirstHourStack.with { stack in
            // Enough sessions and statements that the output outgrows a pipe buffer (64 KiB) for `head -1`.
            let many = (1...400).map { "select \($0) as n, repeat('x', 200) as pad" }.joined(separator: "; ")
            for _ in 0..<3 {
                let exec = try await stack.agent.run(["exec", "pg-guarded", "--", many])
                #expect(exec.status == 0, "\(exec.stderr)")
            }
            let list = try await stack.agent.run(["sessions", "list", "--output", "json"])
            let session = try #require(list.stdout.firstMatch(of: /"id":"(ses_[0-9a-f]+)"/)).1

            let commands: [(ClientCLI, [String])] = [
                (stack.agent, ["sessions", "list"]),
                (stack.agent, ["sessions", "list", "--output", "json"]),
                (stack.auditor, ["audit", "export", "--out", "-", "--format", "jsonl"]),
                (stack.auditor, ["audit", "export", "--out", "-", "--format", "csv"]),
                (stack.agent, ["replay", String(session), "--no-timing"]),
            ]
            for (cli, arguments) in commands {
                // `true` has closed the pipe before hoopctl writes anything: the first write meets EPIPE.
                let closed = try await Self.pipe(cli, arguments, into: "true")
                #expect(closed.status == 0, "\(arguments) into a closed pipe: \(closed.stderr)")
                #expect(closed.stderr.isEmpty, "\(arguments) into a closed pipe said: \(closed.stderr)")
                // `head -1` takes one line and leaves while hoopctl is still writing.
                let head = try await Self.pipe(cli, arguments, into: "head -1")
                #expect(head.status == 0, "\(arguments) | head -1: \(head.stderr)")
                #expect(head.stderr.isEmpty, "\(arguments) | head -1 said: \(head.stderr)")
                #expect(head.stdout.split(separator: "\n").count == 1, "head passed on one line: \(head.stdout)")
            }
            let replay = try await Self.pipe(stack.agent, ["replay", String(session), "--no-timing"], into: "head -1")
            #expect(!replay.stdout.isEmpty, "the line that was read is the replay's first")
        }
    }
}

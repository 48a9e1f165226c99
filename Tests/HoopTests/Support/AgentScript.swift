import Foundation
import Testing

/// A Python agent script under `testing/mcp-client/` run as `agent`, with a second identity (`approver`) it can use
/// to approve from "another shell": the approver's environment goes to a JSON file named by `APPROVER_ENV`. The
/// script reports what each step returned as one JSON document, the last line of its stdout.
enum AgentScript {
    static func run(
        _ script: String, _ arguments: [String], agent: ClientCLI, approver: ClientCLI, broker: BrokerProcess,
        environment: [String: String] = [:], timeout: Duration, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let approverEnv = broker.directory.appendingPathComponent("approver-env.json")
        let full = ProcessInfo.processInfo.environment.merging(approver.environment) { $1 }
        try JSONSerialization.data(withJSONObject: full).write(to: approverEnv)
        let path = TestEnvironment.repositoryRoot.appendingPathComponent("testing/mcp-client/\(script)").path
        let run = try await ChildProcess.run(
            "/usr/bin/env", ["python3", path] + arguments,
            environment: agent.environment.merging(environment) { $1 }.merging(["APPROVER_ENV": approverEnv.path]) {
                $1
            },
            timeout: timeout)
        #expect(run.status == 0, "\(run.stderr)", sourceLocation: sourceLocation)
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let steps = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            throw PeerError("no report from the agent: \(run.stdout)\n\(run.stderr)")
        }
        return steps
    }
}

import Foundation
import HoopCore
import Testing

/// An `mcp` resource in front of a small upstream MCP server (`testing/mcp-upstream/tickets.py`, on the official
/// Python SDK), reached by the official Python client through `hoopctl mcp RESOURCE`: a blocked tool is absent
/// from the list and refused by name, an approval covers exactly its arguments once (respellings included), a
/// result is masked, methods other than tools are refused, and a tool whose definition changes upstream is shown
/// as pinned and held until re-approved. The upstream is run by the broker (stdio) or reached over Streamable HTTP
/// with a held bearer token the agent never sees; the upstream's own log says what reached it.
@Suite("End to end: mcp resources (governed upstream MCP servers)", .serialized)
struct MCPResourceEndToEndTests {
    enum Upstream: String, Sendable, CustomTestStringConvertible {
        case command
        case http

        var testDescription: String { self == .command ? "upstream run by the broker (stdio)" : "upstream on HTTP" }
    }

    static let upstreamToken = "upstream-held-token-7f3a"

    static func resourceYAML(_ upstream: Upstream, log: URL, state: URL, port: Int) -> String {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/mcp-upstream/tickets.py").path
        let reach =
            upstream == .command
            ? """
                command: [python3, \(script), stdio]
                environment: { UPSTREAM_LOG: \(log.path), UPSTREAM_STATE: \(state.path) }
            """
            : """
                url: http://127.0.0.1:\(port)/mcp
                bearer_env: UPSTREAM_TOKEN
            """
        return """
              - name: tickets
                type: mcp
            \(reach)
                allow_groups: [agents, dba]
                tool_changes: { approvers: [dba] }
                guardrails:
                  - name: no-deletes
                    match: { tool: "delete_*" }
                    action: block
                  - name: prod-closes
                    match: { tool: close_ticket, arguments: { project: "prod*" } }
                    action: require_approval
                    approvers: [dba]
                masking:
                  detectors: [email, payment_card]
            """
    }

    @Test(
        "hidden and blocked tools, an approval bound to its arguments, masking, non-tool methods, a changed tool",
        arguments: [Upstream.command, .http])
    func governed(_ upstream: Upstream) async throws {
        let directory = try TestEnvironment.scratchDirectory("mcp-upstream")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("calls.jsonl")
        let state = directory.appendingPathComponent("state")
        let port = try TestEnvironment.freePort()
        let upstreamEnvironment = ["UPSTREAM_LOG": log.path, "UPSTREAM_STATE": state.path]
        var server = upstream == .http ? try await Self.startHTTPUpstream(port: port, upstreamEnvironment) : nil
        defer { server?.signal(SIGKILL) }
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(
                issuer: idp.issuer,
                resourcesYAML: Self.resourceYAML(upstream, log: log, state: state, port: port),
                extraYAML: "auditor_groups: [audit]\n",
                environment: ["UPSTREAM_TOKEN": Self.upstreamToken, "PG_PASSWORD": "not-for-upstreams"]
            )
            defer { broker.remove() }
            try await broker.stoppingAfter {
                try await idp.addClient("alice", secret: "alice-secret", groups: ["dba"], subject: "alice")
                try await idp.addClient("auditor", secret: "auditor-secret", groups: ["audit"], subject: "carol")
                let agent = try await ClientCLI.loggedIn(broker)
                let alice = try await ClientCLI.loggedIn(
                    broker, name: "alice", clientID: "alice", secret: "alice-secret")
                let auditor = try await ClientCLI.loggedIn(
                    broker, name: "auditor", clientID: "auditor", secret: "auditor-secret")

                let first: [String: Any]
                do {
                    first = try await Self.runAgent("first", agent: agent, approver: alice, broker: broker)
                } catch {
                    print("BROKER OUTPUT\n\(broker.output)\nUPSTREAM\n\(server?.stdout ?? "")\(server?.stderr ?? "")")
                    throw error
                }
                Self.checkFirst(first, upstream: upstream)
                Self.checkRaw(first)
                Self.checkBeforeInitialize(first)
                let calls = try Self.upstreamCalls(log)
                #expect(!calls.contains { $0["tool"] as? String == "delete_ticket" }, "a blocked tool never ran")
                let closes = calls.filter { $0["tool"] as? String == "close_ticket" }.map {
                    "\(($0["arguments"] as? [String: Any])?["project"] ?? "")"
                }
                #expect(
                    closes.filter { $0 != "DEV" } == ["PROD"],
                    "the approved close ran once; its respellings, the null-id and pre-initialize ones never: \(calls)")
                // The call reusing id 20 collides only while the list under that id is still pending; when the
                // upstream answered the list first (a loaded machine), the id was free and the call ran as its own.
                let collisionRefused = Self.collisionRefused(first)
                #expect(
                    calls.contains { ($0["arguments"] as? [String: Any])?["query"] as? String == "collided" }
                        == !collisionRefused, "a call under a pending id never ran, and only then: \(calls)")

                try "changed".write(to: state, atomically: true, encoding: .utf8)
                if upstream == .http {
                    server?.signal(SIGKILL)
                    _ = try await server?.waitForExit()
                    server = try await Self.startHTTPUpstream(port: port, upstreamEnvironment)
                }
                try await Self.checkReplay(agent)
                let changed = try await Self.runAgent("changed", agent: agent, approver: alice, broker: broker)
                Self.checkChanged(changed)
                try await Self.checkTrail(broker: broker, auditor: auditor)
            }
        }
    }

    static func startHTTPUpstream(port: Int, _ environment: [String: String]) async throws -> ChildProcess {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/mcp-upstream/tickets.py").path
        let process = try ChildProcess(
            "tickets upstream", executable: "/usr/bin/env",
            arguments: ["python3", script, "http", String(port), upstreamToken], environment: environment)
        try await process.waitForOutput("Uvicorn running")
        return process
    }

    static func runAgent(_ phase: String, agent: ClientCLI, approver: ClientCLI, broker: BrokerProcess) async throws
        -> [String: Any]
    {
        // A phase runs a dozen MCP calls, an approval round trip and several hoopctl processes; on two cores shared
        // with the rest of the suite it once finished its work just past 120 s. The MCP gateway test allows 180.
        try await AgentScript.run(
            "governed.py", [TestEnvironment.hoopctl, "tickets", phase], agent: agent, approver: approver,
            broker: broker, timeout: .seconds(180))
    }

    static func step(_ steps: [String: Any], _ label: String) -> [String: Any] {
        steps[label] as? [String: Any] ?? [:]
    }

    static func status(_ steps: [String: Any], _ label: String) -> String? {
        (step(steps, label)["structured"] as? [String: Any])?["status"] as? String
    }

    static func checkFirst(_ steps: [String: Any], upstream: Upstream) {
        #expect(steps["capabilities"] as? [String] == ["tools"], "only tools are offered: \(steps)")
        #expect(
            steps["tools"] as? [String] == ["close_ticket", "environment", "get_ticket", "search_tickets"],
            "the blocked tool is not listed")

        let search = step(steps, "search")
        let found = search["text"] as? String ?? ""
        #expect(search["is_error"] as? Bool == false, "\(search)")
        #expect(found.contains("Refund for"), "\(found)")
        #expect(!found.contains("ada@example.com") && !found.contains("4111 1111 1111 1111"), "masked: \(found)")

        #expect(status(steps, "hidden_tool") == "refused", "\(step(steps, "hidden_tool"))")
        #expect((step(steps, "hidden_tool")["text"] as? String)?.contains("no-deletes") == true)
        let unknown = step(steps, "unknown_tool")["rpc_error"] as? [String: Any]
        #expect(unknown?["code"] as? Int == -32602)
        #expect((unknown?["message"] as? String)?.contains("no tool 'no_such_tool'") == true)

        let pending = step(steps, "pending")["structured"] as? [String: Any] ?? [:]
        #expect(pending["status"] as? String == "pending_approval", "\(step(steps, "pending"))")
        #expect(pending["rule"] as? String == "prod-closes")
        #expect(pending["approvers"] as? [String] == ["dba"])
        let approval = pending["approval_id"] as? Int
        #expect(approval != nil)
        for respelling in ["respelled", "smuggled_in_list"] {
            #expect(status(steps, respelling) == "pending_approval", "\(respelling): \(step(steps, respelling))")
            let id = (step(steps, respelling)["structured"] as? [String: Any])?["approval_id"] as? Int
            #expect(id != approval, "\(respelling) needs its own approval")
        }
        #expect(step(steps, "approve")["exit"] as? Int == 0, "\(step(steps, "approve"))")
        #expect((step(steps, "approved")["text"] as? String)?.contains("closed ticket 1 in PROD") == true)
        #expect(status(steps, "replayed") == "pending_approval", "an approval runs its call once")
        #expect((step(steps, "unguarded")["text"] as? String)?.contains("closed ticket 2 in DEV") == true)

        let environment = step(steps, "environment")["text"] as? String ?? ""
        #expect(!environment.contains("PG_PASSWORD") && !environment.contains("UPSTREAM_TOKEN"), "\(environment)")
        if upstream == .command { #expect(environment.contains("UPSTREAM_LOG"), "\(environment)") }
        let read = step(steps, "resource_read")["rpc_error"] as? [String: Any]
        #expect(read?["code"] as? Int == -32601, "resources are not served: \(step(steps, "resource_read"))")
        #expect(step(steps, "still_serving")["is_error"] as? Bool == false)
    }

    /// Whether the call that reused the pending id 20 was refused (the hostile lines start at raw answer 8).
    static func collisionRefused(_ steps: [String: Any]) -> Bool {
        let answers = steps["raw"] as? [[String: Any]] ?? []
        return answers.dropFirst(8).prefix(2).contains { answer in
            answer["id"] as? Int == 20 && (answer["error"] as? [String: Any])?["code"] as? Int == -32600
        }
    }

    /// Hand-written lines: each gets its answer (or an error) and the connection keeps serving; what the upstream
    /// got of them is checked in its log.
    static func checkRaw(_ steps: [String: Any]) {
        let answers = steps["raw"] as? [[String: Any]] ?? []
        func id(_ answer: [String: Any]) -> Int? { answer["id"] as? Int }
        func code(_ answer: [String: Any]) -> Int? { (answer["error"] as? [String: Any])?["code"] as? Int }
        #expect(answers.count == 23, "\(answers)")
        guard answers.count == 23 else { return }
        #expect(id(answers[0]) == 10 && answers[0]["result"] != nil, "initialize: \(answers[0])")
        #expect(id(answers[1]) == 11, "the duplicate name is answered: \(answers[1])")
        #expect(id(answers[2]) == 12, "the duplicate argument is answered: \(answers[2])")
        #expect(code(answers[3]) == -32600, "a batch is refused: \(answers[3])")
        #expect(code(answers[4]) == -32700, "not JSON: \(answers[4])")
        #expect(id(answers[5]) == 15 && code(answers[5]) == -32601, "resources/list: \(answers[5])")
        #expect(id(answers[6]) == 16 && code(answers[6]) == -32602, "names are exact: \(answers[6])")
        #expect(id(answers[7]) == 17 && answers[7]["result"] != nil, "still serving: \(answers[7])")
        checkHostileLines(Array(answers[8...]))
    }

    /// The lines after the first eight (governed.py's RAW_ATTACKS from id 20): id tricks, smuggled names and
    /// arguments, respellings, a cursor of the agent's choosing.
    static func checkHostileLines(_ answers: [[String: Any]]) {
        func id(_ answer: [String: Any]) -> Int? { answer["id"] as? Int }
        func code(_ answer: [String: Any]) -> Int? { (answer["error"] as? [String: Any])?["code"] as? Int }
        func toolNames(_ answer: [String: Any]) -> [String]? {
            ((answer["result"] as? [String: Any])?["tools"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        }
        let collided = Array(answers[0...1])
        let listed = collided.compactMap(toolNames).first ?? []
        #expect(listed.contains("search_tickets") && !listed.contains("delete_ticket"), "filtered: \(collided)")
        // Refused while the list is pending; otherwise both answers are their own, the call's never read as a list.
        let refused = collided.contains { id($0) == 20 && code($0) == -32600 }
        let separate = collided.filter { id($0) == 20 && toolNames($0) == nil && $0["result"] != nil }.count == 1
        #expect(refused || separate, "the reused id is refused, or served as a request of its own: \(collided)")
        for answer in answers[2...4] {
            #expect(code(answer) == -32600, "ids 1.5, 2^70 and null are no request ids: \(answer)")
        }
        #expect(id(answers[5]) == 21 && code(answers[5]) == -32602, "arguments as an array: \(answers[5])")
        for answer in answers[6...8] {
            #expect(code(answer) == -32602, "a name like a blocked tool's is no tool: \(answer["id"] ?? "")")
        }
        for answer in answers[9...12] {
            let account = (answer["result"] as? [String: Any])?["structuredContent"] as? [String: Any]
            #expect(account?["status"] as? String == "pending_approval", "a respelled PROD is held: \(answer)")
        }
        #expect(id(answers[13]) == 29, "\(answers[13])")
        #expect(toolNames(answers[13])?.contains("delete_ticket") != true, "a page is filtered: \(answers[13])")
        #expect(id(answers[14]) == 39 && answers[14]["result"] != nil, "still serving: \(answers[14])")
    }

    /// Tool calls before initialize: whatever the upstream makes of them, none runs unjudged.
    static func checkBeforeInitialize(_ steps: [String: Any]) {
        let answers = steps["before_initialize"] as? [[String: Any]] ?? []
        #expect(answers.count == 2, "\(answers)")
        for answer in answers {
            let result = answer["result"] as? [String: Any]
            #expect(result == nil || result?["isError"] as? Bool == true, "refused or held: \(answer)")
        }
    }

    static func checkChanged(_ steps: [String: Any]) {
        let before = steps["described"] as? [String: String] ?? [:]
        #expect(before["get_ticket"] == "Read one ticket by its id.", "the pinned definition is shown: \(before)")
        let held = step(steps, "held")["structured"] as? [String: Any] ?? [:]
        #expect(held["status"] as? String == "pending_approval", "\(step(steps, "held"))")
        #expect(held["rule"] as? String == "tool_changed")
        #expect(step(steps, "approve")["exit"] as? Int == 0, "\(step(steps, "approve"))")
        #expect((step(steps, "after_approval")["text"] as? String)?.contains("Flaky build") == true)
        let after = steps["described_after"] as? [String: String] ?? [:]
        #expect(after["get_ticket"]?.contains("evil.example") == true, "re-approved, the new one is shown: \(after)")
    }

    /// The agent's sessions replay as the calls it made and the (masked) results and refusals it got.
    static func checkReplay(_ agent: ClientCLI) async throws {
        let listed = try await agent.run(["sessions", "--resource", "tickets", "--output", "json"])
        let sessions = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? [])
            .compactMap { $0["id"] as? String }
        #expect(!sessions.isEmpty, "\(listed.stdout)\(listed.stderr)")
        var replayed = ""
        for session in sessions {
            replayed += try await agent.run(["replay", session, "--no-timing"]).stdout
        }
        #expect(replayed.contains(#"tools/call close_ticket {"id":1,"project":"PROD"}"#), "\(replayed)")
        #expect(replayed.contains("closed ticket 1 in PROD"))
        #expect(replayed.contains("pending_approval"), "refusals are replayed too")
        #expect(replayed.contains("Refund for [EMAIL]") && !replayed.contains("ada@example.com"), "\(replayed)")
    }

    static func upstreamCalls(_ log: URL) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Pins, the change and its re-approval are in the chain; the export verifies; nothing unmasked is kept.
    static func checkTrail(broker: BrokerProcess, auditor: ClientCLI) async throws {
        let events = try await Evidence.auditEvents(broker)
        let actions = events.map(\.action)
        #expect(actions.filter { $0 == "mcp.tool_pinned" }.count == 4, "\(actions)")
        #expect(actions.contains("mcp.tool_changed") && actions.contains("mcp.tool_repinned"))
        #expect(actions.contains("approval.use"))
        #expect(events.contains { $0.action == "masking.applied" })
        let (export, verify) = try await Evidence.exportAndVerify(broker, auditor: auditor)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let leaked = try MaskingEndToEndTests.filesContaining(
            ["ada@example.com", "4111 1111 1111 1111", upstreamToken], under: broker.dataDir)
        #expect(leaked.isEmpty, "unmasked values or the held token in the evidence: \(leaked)")
    }
}

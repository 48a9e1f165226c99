import Foundation
import HoopCore
import Testing

/// The MCP tools driven by the official Python MCP SDK's client — over stdio (`hoopctl mcp`) and over Streamable
/// HTTP (the broker's `/mcp`) — against a real broker, PostgreSQL and identity provider: the agent lists and
/// describes, reads masked rows, hits a block, gets a statement approved by a person through `hoopctl approvals
/// approve`, runs it once, and sends bad input; an auditor then exports and verifies the trail of all of it.
@Suite("End to end: MCP over stdio and Streamable HTTP", .serialized)
struct MCPEndToEndTests {
    static let resources = """
          - name: pg-agents
            type: postgres
            address: 127.0.0.1:{PORT}
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents, dba]
            guardrails:
              - name: ddl
                match: [drop, truncate, alter]
                action: require_approval
                approvers: [dba]
              - name: unfiltered-writes
                match: [delete_without_where, update_without_where]
                action: block
            masking:
              detectors: [email, payment_card]
              columns: { "people.email": partial }
          - name: pg-other
            type: postgres
            address: 127.0.0.1:{PORT}
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [nobody]
        """

    static let setup = """
        create table people (id int primary key, name text, email text, card text);
        insert into people values (1, 'Ada', 'ada@example.com', '4111 1111 1111 1111'),
                                  (2, 'Grace', 'grace@example.org', null);
        create table scratch (x int);
        """

    @Test(
        "list, describe, masked query, block, approval by a person, bad input; the trail exports and verifies",
        arguments: [MCPInterfaceUnderTest.stdio, .http])
    func scenario(_ interface: MCPInterfaceUnderTest) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let seeded = try await PostgresServer.psql(port: pg.port, ["-d", "testdb", "-c", Self.setup])
                #expect(seeded.status == 0, "\(seeded.stderr)")
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: Self.resources.replacingOccurrences(of: "{PORT}", with: String(pg.port)),
                    extraYAML: "auditor_groups: [audit]\n",
                    environment: ["PG_PASSWORD": PostgresServer.password]
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
                    let expired = try await idp.mint(
                        claims: [
                            "iss": .string(idp.issuer), "sub": "ci-agent", "aud": "hoop", "groups": ["agents"],
                            "exp": .int(Int64(Date().timeIntervalSince1970) - 600),
                        ])
                    var http = ["MCP_EXPIRED_BEARER": expired]
                    if interface == .http {
                        http["MCP_BEARER"] = try await idp.clientCredentialsToken("ci-agent", secret: "ci-agent-secret")
                        http["MCP_OTHER_BEARER"] = try await idp.clientCredentialsToken("alice", secret: "alice-secret")
                        http["MCP_CA"] = broker.caFile.path
                    }
                    let steps = try await Self.runAgent(
                        interface, agent: agent, approver: alice, broker: broker, environment: http)
                    try Self.checkSteps(steps)
                    if interface == .http { Self.checkHTTPIdentity(steps) } else { Self.checkExpiredStdio(steps) }
                    #expect(try await Self.tableExists(pg, "scratch") == false, "the approved DROP ran")
                    try await Self.checkTrail(interface, broker: broker, auditor: auditor)
                }
            }
        }
    }

    /// Runs `testing/mcp-client/agent.py` as the agent and returns its step report.
    static func runAgent(
        _ interface: MCPInterfaceUnderTest, agent: ClientCLI, approver: ClientCLI, broker: BrokerProcess,
        environment: [String: String]
    ) async throws -> [String: Any] {
        var arguments = [interface.rawValue, TestEnvironment.hoopctl, "pg-agents"]
        if interface == .http { arguments.append(broker.url + "/mcp") }
        return try await AgentScript.run(
            "agent.py", arguments, agent: agent, approver: approver, broker: broker, environment: environment,
            timeout: .seconds(180))
    }

    static func output(_ steps: [String: Any], _ label: String) -> [String: Any] {
        ((steps[label] as? [String: Any])?["output"] as? [String: Any]) ?? [:]
    }

    static func rpcError(_ steps: [String: Any], _ label: String) -> (code: Int, message: String)? {
        guard let error = (steps[label] as? [String: Any])?["rpc_error"] as? [String: Any] else { return nil }
        return (error["code"] as? Int ?? 0, error["message"] as? String ?? "")
    }

    static func checkSteps(_ steps: [String: Any]) throws {
        #expect(steps["server"] as? String == "hoopctl")
        #expect(
            steps["tools"] as? [String]
                == ["approval_status", "describe_resource", "list_resources", "query", "request_access", "run"])
        #expect((steps["schemas"] as? [String: [String]])?["query"] == ["resource", "sql"])

        let listed = output(steps, "list")["resources"] as? [[String: Any]] ?? []
        #expect(listed.map { $0["name"] as? String } == ["pg-agents"], "only what the agent may use")
        #expect(listed.first?["tool"] as? String == "query")
        #expect((listed.first?["guardrails"] as? [[String: Any]])?.count == 2)

        let tables = output(steps, "describe")["tables"] as? [[String: Any]] ?? []
        let people = tables.first { $0["name"] as? String == "people" }
        let columns = people?["columns"] as? [[String: Any]] ?? []
        #expect(columns.map { $0["name"] as? String } == ["id", "name", "email", "card"])
        #expect(columns.first { $0["name"] as? String == "email" }?["masked"] as? String == "partial")
        #expect(columns.first { $0["name"] as? String == "name" }?["masked"] == nil)
        #expect((output(steps, "describe_one")["tables"] as? [[String: Any]])?.count == 1)

        let masked = output(steps, "masked")
        #expect(masked["status"] as? String == "ok")
        let rows = ((masked["statements"] as? [[String: Any]])?.first?["rows"] as? [[Any]]) ?? []
        let text = "\(rows)"
        #expect(rows.count == 2)
        #expect(!text.contains("ada@example.com") && !text.contains("grace@example.org"), "\(text)")
        #expect(text.contains("@example.com"), "partial keeps the domain: \(text)")

        let cut = (output(steps, "cut")["statements"] as? [[String: Any]])?.first ?? [:]
        #expect((cut["rows"] as? [Any])?.count == 10)
        #expect(cut["row_count"] as? Int == 50 && cut["truncated"] as? Bool == true)
        #expect((output(steps, "cut")["note"] as? String)?.contains("cut") == true)

        let blocked = output(steps, "blocked")
        #expect(blocked["status"] as? String == "blocked")
        let blockError = ((blocked["statements"] as? [[String: Any]])?.first?["error"] as? [String: Any]) ?? [:]
        #expect(blockError["rule"] as? String == "unfiltered-writes", "\(blocked)")
        #expect((blockError["reason"] as? String)?.isEmpty == false)
        #expect((steps["blocked"] as? [String: Any])?["is_error"] as? Bool == true)

        let pending = output(steps, "pending")
        #expect(pending["status"] as? String == "pending_approval", "\(pending)")
        #expect(pending["rule"] as? String == "ddl")
        #expect(pending["approvers"] as? [String] == ["dba"])
        #expect((pending["next"] as? String)?.contains("approval_id") == true)
        #expect(output(steps, "status_pending")["state"] as? String == "pending")
        #expect(output(steps, "still_pending")["status"] as? String == "pending_approval")

        #expect(steps["approve_exit"] as? Int == 0, "\(steps["approve_stderr"] ?? "")")
        #expect(output(steps, "status_approved")["status"] as? String == "approved")
        #expect((steps["progress"] as? [String])?.first?.contains("waiting for approval") == true, "\(steps)")
        let approved = output(steps, "approved")
        #expect(approved["status"] as? String == "ok", "\(approved)")
        #expect(output(steps, "replayed")["status"] as? String == "denied", "an approval runs once")

        #expect(rpcError(steps, "unknown_tool")?.message.contains("no tool called 'no_such_tool'") == true)
        #expect(rpcError(steps, "missing_sql")?.code == -32602)
        #expect(rpcError(steps, "missing_sql")?.message.contains("'sql'") == true)
        #expect(rpcError(steps, "bad_type")?.message.contains("max_rows") == true)
        #expect(rpcError(steps, "unknown_argument")?.message.contains("no argument 'limit'") == true)
        #expect(rpcError(steps, "not_mine")?.code == -32010)
        #expect(rpcError(steps, "wrong_tool")?.message.contains("use query") == true)
        let answer = (output(steps, "still_serving")["statements"] as? [[String: Any]])?.first?["rows"] as? [[Any]]
        #expect("\(answer ?? [])".contains("Ada"), "the server keeps serving after bad input")
    }

    /// An expired login is a JSON-RPC error on each call, naming the expiry, and `hoopctl mcp` keeps serving.
    static func checkExpiredStdio(_ steps: [String: Any]) {
        for label in ["expired_first", "expired_again"] {
            let error = rpcError(steps, label)
            #expect(error?.code == -32011, "\(label): \(steps[label] ?? "nothing")")
            #expect(error?.message.contains("expired") == true, "\(label): \(error?.message ?? "")")
        }
    }

    /// The broker's endpoint serves only identities it accepts, and a session only to the identity that opened it.
    static func checkHTTPIdentity(_ steps: [String: Any]) {
        func step(_ label: String) -> [String: Any] { steps[label] as? [String: Any] ?? [:] }
        #expect(step("http_bad_token")["status"] as? Int == 401, "\(step("http_bad_token"))")
        #expect((step("http_bad_token")["body"] as? String)?.contains("token") == true)
        #expect(step("http_no_token")["status"] as? Int == 401)
        #expect(step("http_expired_token")["status"] as? Int == 401)
        #expect((step("http_expired_token")["body"] as? String)?.contains("expired") == true)
        #expect(step("http_session_opened")["status"] as? Int == 200)
        #expect(step("http_session_opened")["has_id"] as? Bool == true)
        #expect(step("http_other_identity")["status"] as? Int == 403, "\(step("http_other_identity"))")
        #expect((step("http_other_identity")["body"] as? String)?.contains("another identity") == true)
        #expect(step("http_unknown_session")["status"] as? Int == 404)
        #expect(step("http_after_delete")["delete"] as? Int == 200)
        #expect(step("http_after_delete")["status"] as? Int == 404, "an ended session serves nothing")
    }

    static func tableExists(_ pg: PostgresServer, _ name: String) async throws -> Bool {
        let result = try await PostgresServer.psql(
            port: pg.port, ["-d", "testdb", "-At", "-c", "select to_regclass('\(name)') is not null"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t"
    }

    /// Every call was a session tagged with the tool and the client; the approval's life is in the chain; the
    /// export verifies offline; and no unmasked value reached the evidence.
    static func checkTrail(_ interface: MCPInterfaceUnderTest, broker: BrokerProcess, auditor: ClientCLI) async throws {
        let events = try await Evidence.auditEvents(broker)
        let grants = events.filter { $0.action == "session.grant" }
        let tools = grants.compactMap { $0.details["origin"]?["tool"]?.stringValue }
        #expect(Set(tools) == ["describe_resource", "query"], "\(tools)")
        #expect(grants.allSatisfy { $0.details["origin"]?["interface"]?.stringValue == interface.origin }, "\(grants)")
        #expect(grants.allSatisfy { $0.details["origin"]?["client"]?.stringValue?.hasPrefix("mcp") == true })
        #expect(events.contains { $0.action == "statement.block" })
        let approvalActions = events.filter { $0.action.hasPrefix("approval.") }.map(\.action)
        #expect(approvalActions.contains("approval.request") && approvalActions.contains("approval.approve"))
        #expect(approvalActions.contains("approval.use"))

        let (export, verify) = try await Evidence.exportAndVerify(broker, auditor: auditor)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("\"ok\":true"))
        let leaked = try MaskingEndToEndTests.filesContaining(
            ["ada@example.com", "4111 1111 1111 1111"], under: broker.dataDir)
        #expect(leaked.isEmpty, "unmasked values in the evidence: \(leaked)")
    }
}

/// The two ways an agent reaches the MCP tools, as `agent.py` names them, and the session origin each records.
enum MCPInterfaceUnderTest: String, Sendable, CustomTestStringConvertible {
    case stdio
    case http

    var origin: String { self == .stdio ? "mcp" : "mcp-http" }
    var testDescription: String { self == .stdio ? "stdio (hoopctl mcp)" : "Streamable HTTP (broker /mcp)" }
}

import Foundation
import MCP
import NIOCore
import Testing

@testable import Broker

/// The parts of the `mcp` engine that judge and read without a live upstream: the config a resource may say, the
/// tool judge (deny wins, argument respellings, hidden tools), and the readers of messages and event streams.
@Suite("MCP resources: config, tool judge, message readers")
struct MCPResourcePartsTests {
    private func load(_ resource: String) throws(ConfigError) -> BrokerConfig {
        try ConfigLoader.parse(
            yaml: """
                identity: [{issuer: http://127.0.0.1:9400, audience: hoop}]
                resources:
                  - name: tickets
                    type: mcp
                \(resource)
                """,
            relativeTo: URL(fileURLWithPath: "/etc/hoop", isDirectory: true), checkSecrets: false)
    }

    private func refusal(_ resource: String) -> ConfigError? {
        do {
            _ = try load(resource)
            return nil
        } catch {
            return error
        }
    }

    @Test("a command or a url, never both or neither; tool_changes is required; rules must be tool rules")
    func config() throws {
        let loaded = try load(
            """
                command: [python3, server.py]
                tool_changes: { approvers: [sec] }
                allow_tools: ["get_*"]
                guardrails:
                  - { name: g, match: { tool: close, arguments: { project: "PROD*" } }, action: block }
            """)
        let resource = try #require(loaded.resources.first)
        let target = try #require(resource.target(as: MCPTarget.self))
        guard case .command(let arguments, _) = target.upstream else {
            Issue.record("expected a command upstream")
            return
        }
        #expect(arguments == ["python3", "server.py"])
        #expect(target.allowTools == ["get_*"])
        #expect(
            resource.guardrails.first?.match.arguments == [ToolArgumentCondition(path: "project", pattern: "prod*")])

        let http = try load("    url: https://tools.internal:9443/mcp\n    tool_changes: { approvers: [sec] }")
        #expect(http.resources.first?.address.description == "tools.internal:9443")

        #expect(refusal("    tool_changes: { approvers: [sec] }")?.message.contains("needs the upstream") == true)
        #expect(
            refusal("    command: [x]\n    url: https://a/mcp\n    tool_changes: { approvers: [sec] }")?.message
                .contains("not both") == true)
        #expect(refusal("    command: [x]")?.path == "resources[0].tool_changes")
        #expect(refusal("    url: ftp://a/mcp\n    tool_changes: { approvers: [sec] }")?.path == "resources[0].url")
        let sqlRule = refusal(
            """
                command: [x]
                tool_changes: { approvers: [sec] }
                guardrails: [{ match: [drop], action: block }]
            """)
        #expect(sqlRule?.message.contains("MCP tool calls") == true, "\(String(describing: sqlRule))")
    }

    @Test("tool rules are refused on resources that judge statements or commands")
    func toolRulesElsewhere() {
        do {
            _ = try ConfigLoader.parse(
                yaml: """
                    identity: [{issuer: http://127.0.0.1:9400, audience: hoop}]
                    resources:
                      - name: db
                        type: postgres
                        address: 127.0.0.1:5432
                        database: a
                        username: u
                        password_env: PW
                        guardrails: [{ match: { tool: "delete_*" }, action: block }]
                    """,
                relativeTo: URL(fileURLWithPath: "/etc/hoop"), checkSecrets: false)
            Issue.record("a tool rule on postgres must be refused")
        } catch {
            #expect(error.message.contains("mcp resource"), "\(error)")
        }
    }

    private func rule(_ name: String, tools: [String], arguments: [String: String] = [:], block: Bool) -> GuardrailRule
    {
        var match = GuardrailMatch()
        match.tools = tools
        match.arguments = arguments.map { ToolArgumentCondition(path: $0.key, pattern: $0.value) }
        return GuardrailRule(
            name: name, match: match,
            action: block ? .block : .requireApproval(ApprovalRequirement(approvers: ["dba"], minApprovals: 1)))
    }

    @Test("deny wins, arguments are read as an upstream could read them, blocked tools are hidden")
    func judge() {
        let judge = MCPToolJudge(
            rules: [
                rule("no-deletes", tools: ["delete_*"], block: true),
                rule("prod", tools: ["close_ticket"], arguments: ["project": "prod*"], block: false),
                rule("owner", tools: ["close_ticket"], arguments: ["filter.owner": "root"], block: true),
            ],
            allowTools: nil)
        #expect(judge.judge(tool: "delete_ticket", arguments: [:]).label == "block")
        #expect(!judge.listed("delete_ticket"))
        #expect(judge.listed("close_ticket"), "a conditional block does not hide the tool")
        for project: Value in ["PROD", " prod-eu ", ["DEV", "Prod"]] {
            #expect(
                judge.judge(tool: "close_ticket", arguments: ["project": project]).label == "require_approval",
                "\(project)")
        }
        #expect(judge.judge(tool: "close_ticket", arguments: ["project": "DEV"]) == .allow)
        #expect(judge.judge(tool: "close_ticket", arguments: [:]) == .allow, "a missing field does not match")
        let both = judge.judge(
            tool: "close_ticket", arguments: ["project": "PROD", "filter": ["owner": "ROOT"]])
        #expect(both.explanation?.rule == "owner", "the block beats the approval")

        let allowList = MCPToolJudge(rules: [], allowTools: ["get_*", "search"])
        #expect(allowList.judge(tool: "get_ticket", arguments: [:]) == .allow)
        #expect(allowList.judge(tool: "close_ticket", arguments: [:]).explanation?.rule == "allow_tools")
        #expect(!allowList.listed("close_ticket") && allowList.listed("search"))
        #expect(!allowList.listed("Search"), "tool names are exact")
    }

    @Test("messages: one JSON-RPC 2.0 object per line; batches and non-JSON are refused with their codes")
    func messages() throws {
        let request = try MCPMessage(
            Data(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}}"#.utf8))
        guard case .request(let id, let method) = request.kind else {
            Issue.record("expected a request")
            return
        }
        #expect(id == .int(7) && method == "tools/call")
        #expect(request.params["name"] == .string("x"))
        #expect(throws: MCPMessageError.self) { try MCPMessage(Data("[1,2]".utf8)) }
        #expect(throws: MCPMessageError.self) { try MCPMessage(Data(#"{"id":1,"method":"ping"}"#.utf8)) }
        #expect(throws: MCPMessageError.self) { try MCPMessage(Data("not json".utf8)) }
        let response = try MCPMessage(Data(#"{"jsonrpc":"2.0","id":"a","result":{}}"#.utf8))
        guard case .response(let answered) = response.kind else {
            Issue.record("expected a response")
            return
        }
        #expect(answered == .string("a"))
    }

    @Test("server-sent events: CR LF, LF and CR line ends, events split across chunks, multi-line data")
    func events() {
        var reader = ServerSentEvents()
        #expect(reader.feed(ByteBuffer(string: "event: message\r\ndata: {\"a\":")).isEmpty)
        let first = reader.feed(ByteBuffer(string: "1}\r\n\r\ndata: x\ndata: y\n\n: comment\rdata:z\r\r"))
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "x\ny", "z"])
    }

    @Test("a tool's fingerprint changes with its description and not with the order of its members")
    func fingerprints() throws {
        let one = try #require(
            MCPToolDefinition(["name": "get", "description": "Read.", "inputSchema": ["type": "object"]]))
        let reordered = try #require(
            MCPToolDefinition(.object(["inputSchema": ["type": "object"], "description": "Read.", "name": "get"])))
        let changed = try #require(MCPToolDefinition(["name": "get", "description": "Read, then leak."]))
        #expect(one.fingerprint == reordered.fingerprint)
        #expect(one.fingerprint != changed.fingerprint)
        #expect(MCPToolDefinition(pinned: one.canonical) == one)
        #expect(MCPToolDefinition(["description": "no name"]) == nil)
    }
}

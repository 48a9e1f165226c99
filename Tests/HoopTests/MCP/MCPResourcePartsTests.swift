import Foundation
import MCP
import Masking
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

    /// A hostile agent respells a guarded value as some upstream would still read it (a case-, accent- and
    /// width-insensitive collation that ignores invisible characters; a validator that reads "01" as 1).
    @Test("respellings an upstream could normalize match the rule: invisible, fullwidth, accented, numbers as text")
    func respellings() {
        let judge = MCPToolJudge(
            rules: [
                rule("prod", tools: ["close_ticket"], arguments: ["project": "prod*"], block: false),
                rule("root-ticket", tools: ["close_ticket"], arguments: ["id": "1"], block: true),
            ],
            allowTools: nil)
        let prod: [Value] = [
            "\u{200B}PROD", "P\u{200D}ROD", "\u{FEFF}prod", "\u{00AD}Prod", "ＰＲＯＤ", "PRÖD", "p\u{0301}rod",
            "\u{0000}PROD", "\tPROD\n", "\u{2003}prod\u{3000}",
        ]
        for project in prod {
            #expect(
                judge.judge(tool: "close_ticket", arguments: ["project": project]).label == "require_approval",
                "\(project)")
        }
        #expect(
            judge.judge(tool: "close_ticket", arguments: ["project": .data(mimeType: nil, Data("PROD".utf8))]).label
                == "require_approval", "a data: URL is judged by what it carries")
        for project: Value in ["DEV", "pr-od", "rpod", ["DEV", "QA"]] {
            #expect(judge.judge(tool: "close_ticket", arguments: ["project": project]) == .allow, "\(project)")
        }
        for id: Value in [1, 1.0, "1", "01", " 1 ", "1.0", "1e0", "+1", "１"] {
            #expect(judge.judge(tool: "close_ticket", arguments: ["id": id]).label == "block", "\(id)")
        }
        for id: Value in [2, 1.5, "11", "1a", true] {
            #expect(judge.judge(tool: "close_ticket", arguments: ["id": id]) == .allow, "\(id)")
        }
        #expect(
            ToolArgumentCondition(path: "project", pattern: "PRÖD*").pattern == "prod*",
            "a pattern is folded like the values it is compared with")
    }

    @Test("request ids: strings and integers only, a null id never makes a request; agents send only two notifications")
    func requestIDs() throws {
        func kind(_ line: String) throws -> MCPMessage.Kind { try MCPMessage(Data(line.utf8)).kind }
        for id in ["1.5", "true", "{\"a\":1}", "[1]", "1180591620717411303424"] {
            #expect(throws: MCPMessageError.self, "id \(id)") {
                try MCPMessage(Data(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/list"}"#.utf8))
            }
        }
        // 1.0 is refused or read as the integer 1 (and forwarded re-encoded as 1): either way it cannot stand for
        // a pending 1 unnoticed. Foundation's reader has done both.
        if case .request(let integral, _)? = try? kind(#"{"jsonrpc":"2.0","id":1.0,"method":"ping"}"#) {
            #expect(integral == .int(1))
        }
        guard case .request(let text, _) = try kind(#"{"jsonrpc":"2.0","id":"1","method":"ping"}"#) else {
            Issue.record("a string id is a request")
            return
        }
        #expect(text != .int(1), "\"1\" and 1 are different ids, as they are to the upstream")
        // A null id is refused or read as a notification (dropped unless agents may send it): never a request.
        if let nullID = try? kind(#"{"jsonrpc":"2.0","id":null,"method":"tools/call"}"#),
            case .request = nullID
        {
            Issue.record("a null id must not make a request")
        }
        #expect(MCPMethod(rawValue: "tools/call")?.agentNotification == false)
        for method in ["notifications/tools/list_changed", "notifications/progress"] {
            #expect(MCPMethod(rawValue: method)?.agentNotification == false, "\(method)")
        }
        #expect(MCPMethod(rawValue: "notifications/roots/list_changed") == nil, "unknown notifications are dropped")
    }

    @Test("masking reaches numbers, keys and data: URLs, not only string values")
    func maskingNumbersAndKeys() throws {
        let policy = try MaskingPolicy(detectors: [.email, .paymentCard], strategy: .redact, columns: [], custom: [])
        let masker = ValueMasker(policy: policy, key: MaskingKey(bytes: Array(repeating: 7, count: 32)))
        var summary = MaskingSummary()
        let result: Value = [
            "card": .int(4_111_111_111_111_111), "asDouble": .double(4_111_111_111_111_111),
            "count": 42, "byOwner": ["ada@example.com": "open"],
            "attachment": .data(mimeType: "text/plain", Data("mail ada@example.com".utf8)),
        ]
        let shown = MCPProxy.masking(result, masker, &summary)
        let text = String(decoding: try JSONEncoder.mcpWire.encode(shown), as: UTF8.self)
        #expect(!text.contains("4111111111111111") && !text.contains("ada@example.com"), "\(text)")
        #expect(!text.contains(Data("mail ada@example.com".utf8).base64EncodedString()), "data: URLs: \(text)")
        #expect(text.contains(#""count":42"#), "a number with nothing in it stays a number: \(text)")
        #expect(!summary.isEmpty)
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

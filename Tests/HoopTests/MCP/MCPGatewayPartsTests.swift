import Foundation
import HoopCore
import Local
import MCP
import Masking
import Testing

@testable import MCPGateway

/// The pieces of `hoopctl mcp` that decide what an agent is told: argument checking, result cutting, the texts
/// read back from the broker, the catalog query's table filter, and the printed host entry.
@Suite("MCP: arguments, results and texts")
struct MCPGatewayPartsTests {
    static func arguments(_ values: [String: Value]) throws -> MCPArguments {
        try MCPArguments(
            tool: .query, values, allowed: ["resource", "sql", "max_rows", "approval_id"])
    }

    static func message(_ error: any Error) -> String {
        (error as? MCPError)?.errorDescription ?? "\(error)"
    }

    @Test("arguments: missing, empty, mistyped, out of range and unknown names are refused by name")
    func argumentChecks() throws {
        #expect(throws: MCPError.self) { try Self.arguments(["limit": 3]) }
        do {
            _ = try Self.arguments(["resource": "db", "limti": 3])
            Issue.record("an unknown argument was accepted")
        } catch {
            #expect(Self.message(error).contains("no argument 'limti'"))
        }
        let empty = try Self.arguments(["resource": "db", "sql": ""])
        #expect(throws: MCPError.self) { try empty.requiredString("sql") }
        let typed = try Self.arguments(["resource": 5, "max_rows": "ten", "approval_id": 7.0])
        #expect(throws: MCPError.self) { try typed.requiredString("resource") }
        #expect(throws: MCPError.self) { try typed.integer("max_rows", in: 1...10) }
        #expect(try typed.integer("approval_id", in: 1...10) == 7, "7.0 is a whole number")
        let big = try Self.arguments(["max_rows": 10_000, "approval_id": 2.5])
        #expect(throws: MCPError.self) { try big.integer("max_rows", in: 1...5000) }
        #expect(throws: MCPError.self) { try big.integer("approval_id", in: 1...10) }
        #expect(try Self.arguments([:]).string("sql") == nil)
    }

    @Test("every tool's schema names exactly the arguments it reads, and requires what it requires")
    func schemas() {
        let tools = HoopMCPServer.tools
        #expect(Set(tools.map(\.name)) == Set(MCPToolName.allCases))
        for tool in tools {
            let schema = tool.definition.inputSchema.objectValue
            #expect(schema?["additionalProperties"] == .bool(false), "\(tool.name)")
            let required = schema?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(Set(required).isSubset(of: tool.argumentNames), "\(tool.name)")
        }
    }

    @Test("results are cut at rows and bytes, with the full count and a note; blocks keep their rule")
    func resultCutting() {
        let rows: [[String?]] = (1...50).map { ["row \($0)"] }
        let block = GuardrailBlockText.message(rule: "no-drop", reason: "drops a table")
        let outcome = StatementsOutcome(
            session: SessionInfo.sample,
            statements: [
                SQLStatementResult(columns: ["x"], rows: rows, tag: "SELECT 50", error: nil),
                SQLStatementResult(
                    columns: [], rows: [], tag: nil, error: SQLError(code: "42501", message: block, detail: nil)),
            ])
        let cut = QueryOutput(outcome, resource: "db", rows: 10, bytes: 1 << 20)
        #expect(cut.statements[0].rows.count == 10 && cut.statements[0].rowCount == 50)
        #expect(cut.statements[0].truncated && cut.note != nil)
        #expect(cut.status == .blocked)
        #expect(cut.statements[1].error?.rule == "no-drop" && cut.statements[1].error?.reason == "drops a table")
        let byBytes = QueryOutput(outcome, resource: "db", rows: 100, bytes: 30)
        #expect(byBytes.statements[0].rows.count == 6, "six 5-byte rows fit in 30 bytes")
        let whole = QueryOutput(
            StatementsOutcome(session: SessionInfo.sample, statements: [outcome.statements[0]]), resource: "db",
            rows: 100, bytes: 1 << 20)
        #expect(whole.status == .ok && whole.note == nil && !whole.statements[0].truncated)
    }

    @Test("the broker's texts read back: a block's rule and reason, a pending request's id; others are not")
    func texts() {
        let block = GuardrailBlockText.message(rule: "file-access", reason: "matches 'pg_read_file': reads files")
        #expect(GuardrailBlockText.parse(block)?.rule == "file-access")
        #expect(GuardrailBlockText.parse(block)?.reason == "matches 'pg_read_file': reads files")
        #expect(GuardrailBlockText.parse("relation \"x\" does not exist") == nil)
        let held = ApprovalNeededText.message(
            subject: "command", id: 42, approveCommand: "hoopctl approvals approve 42")
        #expect(ApprovalNeededText.approvalID(in: "hoop: " + held + "\n") == 42)
        #expect(ApprovalNeededText.approvalID(in: "command not found") == nil)
    }

    @Test("a session's origin is cut to its bound and loses control characters")
    func originBounds() {
        let origin = SessionOrigin(
            interface: "mcp", client: String(repeating: "a", count: 500) + "\u{1b}[31m", tool: "query\n")
        let bounded = origin.bounded
        #expect(bounded.client?.count == SessionOrigin.maximumLength)
        #expect(bounded.tool == "query?")
        #expect(SessionOrigin(interface: "mcp", client: "x\u{1b}y").bounded.client == "x?y")
    }

    @Test("describe_resource's table filter takes names and schema.name, nothing that could leave the literal")
    func tableFilter() throws {
        #expect(try CatalogQuery.TableFilter("people").table == "people")
        let qualified = try CatalogQuery.TableFilter("public.people")
        #expect(qualified.schema == "public" && qualified.table == "people")
        for hostile in ["people'; drop table x; --", "a.b.c", "", ".x", "x\\'", "peo ple", "t`"] {
            #expect(throws: MCPError.self, "\(hostile)") { try CatalogQuery.TableFilter(hostile) }
        }
        let sql = CatalogQuery.sql(.postgres, table: qualified, limit: 10)
        #expect(sql.contains("c.relname = 'people'") && sql.contains("n.nspname = 'public'"))
    }

    @Test("columns are marked with the rule that covers them, as the broker's masking matches them")
    func maskedColumns() throws {
        let rules = [
            try ColumnRule(pattern: "people.email", strategy: .partial()),
            try ColumnRule(pattern: "*.ssn", strategy: .redact),
        ]
        let rows: [[String?]] = [
            ["public", "people", "email", "text", "f"], ["public", "people", "name", "text", "t"],
            ["hr", "staff", "SSN", "text", "f"], ["hr", "staff", "email", "text", "f"],
        ]
        let tables = CatalogQuery.tables(from: rows, .postgres, rules: rules)
        #expect(tables.map(\.name) == ["people", "staff"])
        #expect(tables[0].columns.map(\.masked) == ["partial", nil])
        #expect(tables[0].columns.map(\.nullable) == [true, false])
        #expect(tables[1].columns.map(\.masked) == ["redact", nil])
    }

    @Test("--print-config names this binary, the broker and its CA, and no token")
    func hostConfig() throws {
        let configuration = try ClientConfiguration(
            broker: "https://broker.example:9443", caFile: "/etc/hoop/ca.pem", tokenFile: nil,
            environment: ["HOOP_TOKEN": "secret-token", "HOME": "/nonexistent-home"])
        let json = MCPHostConfig(configuration: configuration, executable: "/usr/local/bin/hoopctl").json
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let entry = (object?["mcpServers"] as? [String: Any])?["hoop"] as? [String: Any]
        #expect(entry?["command"] as? String == "/usr/local/bin/hoopctl")
        #expect(entry?["args"] as? [String] == ["mcp"])
        let env = entry?["env"] as? [String: String]
        #expect(env?["HOOP_BROKER"] == "https://broker.example:9443")
        #expect(env?["HOOP_CA"] == "/etc/hoop/ca.pem")
        #expect(!json.contains("secret-token"))
    }
}

extension SessionInfo {
    static let sample = SessionInfo(
        id: "ses_1", resource: "db", resourceType: .postgres, subject: "agent", email: nil, reason: nil,
        status: .active, createdAt: Date(), expiresAt: Date(), endedAt: nil, connections: 0, bytesUp: 0,
        bytesDown: 0)
}

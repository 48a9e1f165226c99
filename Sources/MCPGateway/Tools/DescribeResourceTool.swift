import HoopCore
import Local
import MCP
import Masking

/// `describe_resource`: a resource's policy and, for SQL resources, its tables and columns with the masked ones
/// marked. The catalog is read with a query through the pipeline like any other, so the caller sees only what
/// the database lets its held login see, and the read is recorded.
struct DescribeResourceTool: MCPTool {
    let name = MCPToolName.describeResource

    /// The most columns listed; a larger catalog is cut and says so (narrow it with `table`).
    static let mostColumns = 2000

    var definition: Tool {
        Tool(
            name: name.rawValue,
            title: "Describe a resource",
            description: """
                Describes a resource: its policy (guardrails, approvers, masking) and, for postgres and mysql \
                resources, its tables and columns, with each masked column marked with how it is masked. Pass \
                `table` to describe one table (a name, or schema.name).
                """,
            inputSchema: MCPSchema.input(
                [
                    "resource": MCPSchema.resource(),
                    "table": MCPSchema.string("Only this table (name or schema.name)."),
                ],
                required: ["resource"]),
            annotations: .init(readOnlyHint: true, openWorldHint: false),
            outputSchema: MCPSchema.output(
                ["resource": MCPSchema.typed("object"), "tables": MCPSchema.typed("array")], required: ["resource"])
        )
    }

    func call(_ arguments: MCPArguments, _ context: MCPCallContext) async throws -> CallTool.Result {
        let resource = try arguments.requiredString("resource")
        let table = try arguments.string("table").map(CatalogQuery.TableFilter.init)
        let info = try await MCPResourceKind.resource(resource, context)
        guard case .statements(let runner) = MCPResourceKind(info.type), let dialect = CatalogQuery.Dialect(info.type)
        else {
            return try MCPToolOutput.result(Output(status: .ok, resource: ResourceOutput(info), tables: nil))
        }
        let call = MCPStatementCall(
            runner: runner, resource: resource,
            sql: CatalogQuery.sql(dialect, table: table, limit: Self.mostColumns + 1),
            approval: nil, reason: "describe_resource", waitSeconds: 0)
        switch try await call.run(context) {
        case .stopped(let result):
            return result
        case .ran(let outcome):
            guard let result = outcome.statements.last, result.error == nil else {
                let failed = QueryOutput(outcome, resource: resource, rows: 0, bytes: 0)
                return try MCPToolOutput.result(failed, isError: true)
            }
            let rules = (info.maskedColumns ?? []).compactMap { column in
                try? ColumnRule(pattern: column.pattern, strategy: MaskingStrategy(spelling: column.strategy))
            }
            var output = Output(
                status: .ok, resource: ResourceOutput(info),
                tables: CatalogQuery.tables(from: result.rows.prefix(Self.mostColumns), dialect, rules: rules))
            if result.rows.count > Self.mostColumns {
                output.note = "the catalog has more than \(Self.mostColumns) columns; pass table to see the rest"
            }
            return try MCPToolOutput.result(output)
        }
    }

    struct Output: Codable, Sendable {
        var status: MCPOutcomeStatus
        var resource: ResourceOutput
        var tables: [TableOutput]?
        var note: String?
    }
}

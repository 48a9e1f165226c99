import HoopCore
import Local
import MCP

/// What the tools can do on a kind of resource, decided by how `hoopctl exec` runs there: SQL kinds take `query`
/// and `describe_resource`, command kinds take `run`, byte-stream kinds (tcp) take neither.
enum MCPResourceKind {
    case statements(any StatementRunner)
    case commands(any CommandRunner)
    case opaque

    init(_ type: ResourceType) {
        switch (try? ResourceClients.adapter(for: type))?.exec {
        case .statements(let runner): self = .statements(runner)
        case .command(let runner): self = .commands(runner)
        case nil: self = .opaque
        }
    }

    /// The tool that runs things on this kind.
    var tool: MCPToolName? {
        switch self {
        case .statements: .query
        case .commands: .run
        case .opaque: nil
        }
    }

    /// The resource called `name` as the broker lists it for the caller; one the list does not show is refused
    /// before any session is asked for.
    static func resource(_ name: String, _ context: MCPCallContext) async throws -> ResourceInfo {
        let listed: [ResourceInfo]
        do throws(LocalError) {
            listed = try await context.broker.resources()
        } catch {
            throw error.jsonRPC
        }
        guard let resource = listed.first(where: { $0.name == name }) else {
            throw MCPError.serverError(
                code: MCPErrorCode.accessDenied.rawValue,
                message: "no resource called '\(name)' that you may use; list_resources shows yours")
        }
        return resource
    }

    /// The SQL runner for `resource`, or an invalid-params error naming the tool that fits it.
    static func statementRunner(for resource: ResourceInfo) throws -> any StatementRunner {
        guard case .statements(let runner) = MCPResourceKind(resource.type) else {
            throw misfit(resource, for: .query)
        }
        return runner
    }

    /// The command runner for `resource`, or an invalid-params error naming the tool that fits it.
    static func commandRunner(for resource: ResourceInfo) throws -> any CommandRunner {
        guard case .commands(let runner) = MCPResourceKind(resource.type) else {
            throw misfit(resource, for: .run)
        }
        return runner
    }

    private static func misfit(_ resource: ResourceInfo, for tool: MCPToolName) -> MCPError {
        let fitting = MCPResourceKind(resource.type).tool.map { "use \($0.rawValue)" } ?? "no tool runs anything there"
        return .invalidParams(
            "\(tool.rawValue) cannot run on \(resource.name), a \(resource.type.rawValue) resource: \(fitting)")
    }
}

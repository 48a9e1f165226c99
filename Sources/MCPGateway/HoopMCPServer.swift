import Foundation
import HoopCore
package import Local
package import Logging
package import MCP
import NIOConcurrencyHelpers

/// The MCP server `hoopctl mcp` runs: the tools, answering as the identity `broker` authenticates with. It holds
/// no policy of its own. Every tool is a client of the broker, which decides, masks and records each call exactly
/// as for `hoopctl exec`, so an agent behind MCP can do no more than its identity could with the CLI.
package struct HoopMCPServer: Sendable {
    let broker: BrokerClient
    let interface: MCPInterface
    let limits: MCPResultLimits
    let logger: Logger

    static let tools: [any MCPTool] = [
        ListResourcesTool(), DescribeResourceTool(), QueryTool(), RunTool(), ApprovalStatusTool(),
        RequestAccessTool(),
    ]

    package init(
        broker: BrokerClient, interface: MCPInterface = .stdio, limits: MCPResultLimits = .defaults, logger: Logger
    ) {
        self.broker = broker
        self.interface = interface
        self.limits = limits
        self.logger = logger
    }

    /// Serves one MCP client over `transport` until it disconnects.
    package func serve(over transport: any Transport) async throws {
        let server = Server(
            name: "hoopctl", version: BuildInfo.version, title: "hoopctl broker",
            instructions: """
                Governed access to databases and hosts through the hoopctl broker. Start with list_resources; \
                describe_resource shows tables and masked columns; query runs SQL and run runs commands, under the \
                broker's guardrails, approvals, masking and recording. A pending_approval result names the \
                request: check it with approval_status and call again with its approval_id once approved.
                """,
            capabilities: .init(tools: .init(listChanged: false))
        )
        let client = NIOLockedValueBox<String?>(nil)
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: Self.tools.map(\.definition))
        }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            try await self.call(parameters, client: client.withLockedValue { $0 }, server: server)
        }
        try await server.start(transport: transport) { info, _ in
            client.withLockedValue { $0 = "\(info.name) \(info.version)" }
        }
        await server.waitUntilCompleted()
    }

    private func call(_ parameters: CallTool.Parameters, client: String?, server: Server) async throws
        -> CallTool.Result
    {
        guard let tool = Self.tools.first(where: { $0.name.rawValue == parameters.name }) else {
            let names = Self.tools.map(\.name.rawValue).joined(separator: ", ")
            throw MCPError.invalidParams("no tool called '\(parameters.name)' (tools: \(names))")
        }
        let arguments = try MCPArguments(tool: tool.name, parameters.arguments, allowed: tool.argumentNames)
        let progress = MCPProgress(token: parameters._meta?.progressToken) { update in
            try? await server.notify(ProgressNotification.message(update))
        }
        let context = MCPCallContext(
            broker: broker, client: client, interface: interface, tool: tool.name, progress: progress,
            limits: limits)
        logger.info("tool call", metadata: ["tool": "\(tool.name.rawValue)", "client": "\(client ?? "-")"])
        return try await tool.call(arguments, context)
    }
}

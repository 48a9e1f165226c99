import ArgumentParser
import Foundation
import HoopCore
import Local
import Logging
import MCP
import MCPGateway

/// `hoopctl mcp`: the broker as a Model Context Protocol server on stdio, for agent hosts that spawn their tools.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the broker's resources to an AI agent as MCP tools over stdio.",
        discussion: """
            Speaks the Model Context Protocol on standard input and output, as the identity hoopctl is logged in \
            as (or HOOP_TOKEN). Tools: list_resources, describe_resource, query (postgres, mysql), run (ssh), \
            approval_status and request_access. Every call is a session through the broker's full pipeline, \
            tagged with the MCP client's name and the tool; nothing the agent receives is unmasked. A statement \
            that needs approval returns at once with the request id; call again with approval_id once approved. \
            With RESOURCE, serves that mcp resource instead: the upstream MCP server's tools, as the broker filters, \
            judges, masks and records them (a call that needs approval runs when made again once approved). Logs \
            go to standard error. --print-config prints the entry agent hosts put in their MCP settings.
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(
        help: "An mcp resource to serve instead of the broker's own tools.", completion: BrokerCompletions.resources)
    var resource: String?

    @Option(name: .long, help: "Why the session on RESOURCE is needed (shown to approvers and in the audit trail).")
    var reason: String?

    @Flag(name: .long, help: "Print the MCP server entry for an agent host's settings (JSON) and exit.")
    var printConfig = false

    @Option(name: .long, help: "Rows per statement a query returns when it does not ask for fewer.")
    var maxRows = MCPResultLimits.defaults.rows

    @Option(name: .long, help: "Bytes of results (cell text, command output) per call.")
    var maxBytes = MCPResultLimits.defaults.bytes

    func validate() throws {
        guard (1...MCPResultLimits.mostRows).contains(maxRows) else {
            throw ValidationError("--max-rows must be from 1 to \(MCPResultLimits.mostRows)")
        }
        guard (1024...(64 << 20)).contains(maxBytes) else {
            throw ValidationError("--max-bytes must be from 1024 to \(64 << 20)")
        }
    }

    func run() async throws {
        let console = Console(format: .text)
        let configuration: ClientConfiguration
        do throws(LocalError) {
            configuration = try client.configuration()
        } catch {
            throw console.failure(error)
        }
        if printConfig {
            console.line(MCPHostConfig(configuration: configuration, resource: resource).json)
            return
        }
        let logger = Logger(label: "hoopctl.mcp") { StreamLogHandler.standardError(label: $0) }
        let broker: BrokerClient
        do throws(LocalError) {
            broker = try await BrokerClient.connect(configuration)
        } catch {
            throw console.failure(error)
        }
        if let resource {
            do throws(LocalError) {
                try await MCPStdioBridge.run(
                    client: broker,
                    request: SessionRequest(
                        resource: resource, reason: reason, durationSeconds: nil,
                        origin: SessionOrigin(interface: MCPInterface.stdio.rawValue)),
                    approvals: ApprovalWait(wait: true) { approval in
                        logger.notice("waiting for approval \(approval.id) of a session on \(resource)")
                    })
            } catch {
                throw console.failure(error)
            }
            return
        }
        // A token problem is reported on every call as a JSON-RPC error, so the agent's host shows it; the server
        // keeps serving and picks up a fresh login without a restart.
        do throws(LocalError) {
            let principal = try await broker.whoami()
            logger.info("serving MCP on stdio", metadata: ["identity": "\(principal.displayName)"])
        } catch {
            logger.warning("serving MCP on stdio, but the broker refuses this identity: \(error.message)")
        }
        let server = HoopMCPServer(
            broker: broker, limits: MCPResultLimits(rows: maxRows, bytes: maxBytes), logger: logger)
        try await server.serve(over: StdioTransport(logger: logger))
    }
}

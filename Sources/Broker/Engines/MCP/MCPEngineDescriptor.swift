import Foundation
import HoopCore

/// `type: mcp`: an upstream MCP server behind the broker. The engine reads every JSON-RPC message, so it judges
/// tool calls by name and arguments, filters and pins tool lists, and masks results by the detectors. Its upstream
/// is a `command` the broker runs or a Streamable HTTP `url` with a held bearer token.
struct MCPEngineDescriptor: EngineDescriptor {
    var type: ResourceType { .mcp }
    /// Results are masked as text wherever they appear; there are no columns for column rules.
    var capabilities: EngineCapabilities { [.masking] }
    var guardrails: GuardrailSubject? { .toolCalls }

    /// `command: [program, args...]` with optional `environment: {NAME: value}`, or `url:` with optional
    /// `bearer_env` | `bearer_file`; `allow_tools: [globs]` (deny by default when given); `tool_changes:
    /// {approvers: [...]}` (required: someone must be able to re-approve a changed tool).
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        let upstream = try upstream(&node, context)
        guard var changes = try node.mapping("tool_changes") else {
            throw ConfigError(
                path: "\(node.path).tool_changes",
                message: "is required: { approvers: [...] } names who re-approves a tool whose definition changed")
        }
        let approvers = try ConfigLoader.approvalRequirement(&changes)
        try changes.rejectUnknownKeys()
        return MCPTarget(
            upstream: upstream, allowTools: try node.stringList("allow_tools"), toolChangeApprovers: approvers)
    }

    /// A URL's host and port; a command runs on the broker's own host.
    func address(_ node: inout ConfigNode) throws(ConfigError) -> HostPort {
        guard let text = try node.string("url") else { return HostPort(host: "localhost", port: 0) }
        let url = try Self.url(text, path: "\(node.path).url")
        return HostPort(host: url.host ?? "", port: url.port ?? (url.scheme == "https" ? 443 : 80))
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        MCPEngine(
            logger: environment.logger, maskers: environment.maskers,
            pins: environment.store.map { MCPToolPinBook(store: $0) } ?? MCPToolPinBook())
    }

    private func upstream(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError)
        -> MCPTarget.Upstream
    {
        let command = try node.stringList("command")
        let url = try node.string("url")
        switch (command, url) {
        case (let arguments?, nil):
            guard let program = arguments.first, !program.isEmpty else {
                throw ConfigError(path: "\(node.path).command", message: "names no program")
            }
            var environment: [String: String] = [:]
            for pair in try node.textMapping("environment") ?? [] { environment[pair.key] = pair.value }
            // A bare name is found on the broker's PATH when it runs; a relative path is the config file's.
            let resolved = program.contains("/") ? ConfigLoader.resolve(program, against: context.base).path : program
            return .command(arguments: [resolved] + arguments.dropFirst(), environment: environment)
        case (nil, let text?):
            return .http(url: try Self.url(text, path: "\(node.path).url"), bearer: try node.secret("bearer", context))
        case (nil, nil):
            throw ConfigError(path: node.path, message: "needs the upstream: command: [...] or url: https://...")
        case (_?, _?):
            throw ConfigError(path: "\(node.path).url", message: "give command or url, not both")
        }
    }

    private static func url(_ text: String, path: String) throws(ConfigError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            throw ConfigError(path: path, message: "expected an http or https URL, got '\(text)'")
        }
        return url
    }
}

import Foundation
package import Local

/// The entry agent hosts (Claude Desktop, Claude Code, Cursor, VS Code and others) put under `mcpServers` in their
/// settings to spawn `hoopctl mcp`: this binary's absolute path, the broker it talks to, and the CA that broker's
/// certificate chains to, when one is configured. No token: the server uses hoopctl's own login.
package struct MCPHostConfig: Sendable {
    let command: String
    let arguments: [String]
    let environment: [String: String]

    /// The server's name in the host's settings: `hoop`, or `hoop-RESOURCE` for one governed MCP resource.
    let name: String

    package init(
        configuration: ClientConfiguration, resource: String? = nil,
        executable: String = MCPHostConfig.currentExecutable
    ) {
        command = executable
        arguments = ["mcp"] + (resource.map { [$0] } ?? [])
        name = resource.map { "hoop-\($0)" } ?? "hoop"
        var environment = ["HOOP_BROKER": configuration.endpoint.url]
        if let ca = configuration.caFile {
            environment["HOOP_CA"] = URL(fileURLWithPath: ca).standardizedFileURL.path
        }
        self.environment = environment
    }

    /// The running binary, resolved, so the entry keeps working from any working directory.
    package static var currentExecutable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// `{"mcpServers": {"hoop": {"command": …, "args": […], "env": {…}}}}`, pretty-printed.
    package var json: String {
        struct Entry: Encodable {
            var command: String
            var args: [String]
            var env: [String: String]
        }
        let document = ["mcpServers": [name: Entry(command: command, args: arguments, env: environment)]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self)
    }
}

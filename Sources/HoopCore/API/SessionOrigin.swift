/// What opened a session on the caller's behalf, as the caller declares it: the interface (`mcp`), the program on
/// the other side of it (an MCP client's name and version) and the tool called. The broker records it with the
/// session so an auditor can tell an agent's tool call from a person's `hoopctl connect`; it is the client's own
/// account, so it is bounded and never used to decide anything.
package struct SessionOrigin: Codable, Sendable, Equatable {
    package var interface: String
    package var client: String?
    package var tool: String?

    /// The longest value the broker keeps of each field.
    package static let maximumLength = 200

    package init(interface: String, client: String? = nil, tool: String? = nil) {
        self.interface = interface
        self.client = client
        self.tool = tool
    }

    /// The origin with every field cut to ``maximumLength`` and control characters replaced, as the broker
    /// records it.
    package var bounded: SessionOrigin {
        SessionOrigin(interface: Self.clean(interface), client: client.map(Self.clean), tool: tool.map(Self.clean))
    }

    private static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(maximumLength).map { $0.value < 0x20 ? "?" : $0 }))
    }
}

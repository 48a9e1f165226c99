/// The kind of a resource: which protocol engine serves it on the broker and which client adapter speaks for it
/// locally.
///
/// A struct rather than an enum so that decoding never fails: a broker newer than this client may offer kinds the
/// client has never heard of, and the client must be able to say "this hoopctl cannot use X resources" instead of
/// failing to read the whole resource list.
package struct ResourceType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    package var description: String { rawValue }

    /// Bytes relayed as they are, recorded but not understood.
    package static let tcp = ResourceType(rawValue: "tcp")
    /// The PostgreSQL frontend/backend protocol, terminated on both sides.
    package static let postgres = ResourceType(rawValue: "postgres")
    /// The MySQL client/server protocol (MySQL and MariaDB), terminated on both sides.
    package static let mysql = ResourceType(rawValue: "mysql")
    /// SSH, terminated on both sides: exec, shells, sftp and forwarding by policy.
    package static let ssh = ResourceType(rawValue: "ssh")
    /// An upstream Model Context Protocol server, its JSON-RPC read message by message: tool calls judged, tool
    /// lists filtered and pinned, results masked.
    package static let mcp = ResourceType(rawValue: "mcp")
    /// An HTTP API behind a reverse proxy that terminates HTTP/1.1 from local clients: requests judged by method,
    /// path, query and JSON body, the held credential injected, responses masked.
    package static let http = ResourceType(rawValue: "http")
    /// A Kubernetes API server: the `http` engine reading requests as Kubernetes does (verbs, resources,
    /// namespaces, exec commands), with refusals kubectl prints.
    package static let kubernetes = ResourceType(rawValue: "kubernetes")
}

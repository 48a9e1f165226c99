public import Foundation

/// What `hoopctl connect` tells the user (or, as one JSON line, an agent) once the tunnel listens: which session,
/// and where to point the client.
public struct ConnectionDetails: Codable, Sendable, Equatable {
    public var session: String
    public var resource: String
    public var host: String
    public var port: Int
    public var expiresAt: Date

    public init(session: String, resource: String, host: String, port: Int, expiresAt: Date) {
        self.session = session
        self.resource = resource
        self.host = host
        self.port = port
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case session, resource, host, port
        case expiresAt = "expires_at"
    }
}

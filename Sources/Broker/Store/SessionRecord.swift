public import Foundation
public import HoopCore

/// A just-in-time session as stored.
public struct SessionRecord: Sendable, Equatable, Codable {
    public var id: String
    public var resource: String
    public var resourceType: ResourceType
    public var issuer: String
    public var subject: String
    public var email: String?
    public var groups: [String]
    public var reason: String?
    public var status: SessionStatus
    public var createdAt: Date
    public var expiresAt: Date
    public var endedAt: Date?
    public var connections: Int
    public var bytesUp: Int
    public var bytesDown: Int
    /// Hash of the recording's last event, sealed when the session ends.
    public var recordingDigest: String?

    public var info: SessionInfo {
        SessionInfo(
            id: id,
            resource: resource,
            resourceType: resourceType,
            subject: subject,
            email: email,
            reason: reason,
            status: status,
            createdAt: createdAt,
            expiresAt: expiresAt,
            endedAt: endedAt,
            connections: connections,
            bytesUp: bytesUp,
            bytesDown: bytesDown
        )
    }

    public func isOwned(by principal: Principal) -> Bool {
        principal.issuer == issuer && principal.subject == subject
    }
}

package import Foundation
package import HoopCore

/// A just-in-time session as stored.
package struct SessionRecord: Sendable, Equatable, Codable {
    package var id: String
    package var resource: String
    package var resourceType: ResourceType
    package var issuer: String
    package var subject: String
    package var email: String?
    package var groups: [String]
    package var reason: String?
    package var status: SessionStatus
    package var createdAt: Date
    package var expiresAt: Date
    package var endedAt: Date?
    package var connections: Int
    package var bytesUp: Int
    package var bytesDown: Int
    /// Hash of the recording's last event, sealed when the session ends.
    package var recordingDigest: String?
    /// The broker instance (`BrokerInstance.id`) that granted the session and holds its recording; another broker
    /// takes it over only when this one is gone (`Store.transferSession`).
    package var owner: String? = nil

    package var info: SessionInfo {
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

    package func isOwned(by principal: Principal) -> Bool {
        principal.issuer == issuer && principal.subject == subject
    }
}

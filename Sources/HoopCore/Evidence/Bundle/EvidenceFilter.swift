import Foundation

/// Which audit events an export shows in full. Every field that is set must match (they combine with AND); events
/// that do not match are exported as redacted stubs so the chain still verifies across them.
public struct EvidenceFilter: Codable, Sendable, Equatable {
    public var actor: String?
    public var resource: String?
    public var session: String?
    /// An exact action (`session.close`), or a prefix ending in `.` (`session.`) for a family of actions.
    public var action: String?
    /// RFC 3339; events at or after it.
    public var since: String?
    /// RFC 3339; events before it.
    public var until: String?

    public init(
        actor: String? = nil,
        resource: String? = nil,
        session: String? = nil,
        action: String? = nil,
        since: String? = nil,
        until: String? = nil
    ) {
        self.actor = actor
        self.resource = resource
        self.session = session
        self.action = action
        self.since = since
        self.until = until
    }

    public func matches(_ event: AuditEvent) -> Bool {
        if let actor, event.actor != actor { return false }
        if let resource, event.resource != resource { return false }
        if let session, event.session != session { return false }
        if let action {
            let matched = action.hasSuffix(".") ? event.action.hasPrefix(action) : event.action == action
            if !matched { return false }
        }
        if since != nil || until != nil {
            guard let time = Timestamp.parse(event.time) else { return false }
            if let since, let start = Timestamp.parse(since), time < start { return false }
            if let until, let end = Timestamp.parse(until), time >= end { return false }
        }
        return true
    }

    /// The filter as the manifest records it (and the export seal signs it): only the fields that are set.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = [:]
        let fields = [
            ("actor", actor), ("resource", resource), ("session", session), ("action", action), ("since", since),
            ("until", until),
        ]
        for (name, value) in fields {
            if let value { members[name] = .string(value) }
        }
        return .object(members)
    }
}

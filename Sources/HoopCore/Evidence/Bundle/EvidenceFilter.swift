import Foundation

/// Which audit events an export shows in full. Every field that is set must match (they combine with AND); events
/// that do not match are exported as redacted stubs so the chain still verifies across them.
package struct EvidenceFilter: Codable, Sendable, Equatable {
    package var actor: String?
    package var resource: String?
    package var session: String?
    /// An exact action (`session.close`), or a prefix ending in `.` (`session.`) for a family of actions.
    package var action: String?
    /// RFC 3339; events at or after it.
    package var since: String?
    /// RFC 3339; events before it.
    package var until: String?

    package init(
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

    /// The sessions that events this filter matches belong to. A session's close (which carries its recording's
    /// digest) is the broker's event, so a filter on a user reaches that user's sessions through their own events,
    /// such as the grant: an export shows those closes and keeps those recordings.
    package func sessions(in events: some Sequence<AuditEvent>) -> Set<String> {
        Set(events.filter(matches).compactMap(\.session))
    }

    package func matches(_ event: AuditEvent) -> Bool {
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
    package var jsonValue: JSONValue {
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

/// One line of a session recording (format version 1): JSON lines, one file per session, chained like the audit log
/// so a recording's last hash — sealed into the audit chain when the session closes — proves the whole file.
package struct RecordingEvent: Codable, Sendable, Equatable, HashLinked {
    package static let formatVersion = 1

    package var seq: Int64
    /// Microseconds since the session's recording started.
    package var t: Int64
    package var kind: RecordingKind
    /// Which client connection of the session this belongs to (a session may carry several).
    package var conn: Int64
    package var dir: RecordingDirection?
    /// Base64 of the bytes for `data` events.
    package var data: String?
    package var details: JSONValue
    package var prev: String
    package var hash: String

    package init(
        seq: Int64,
        t: Int64,
        kind: RecordingKind,
        conn: Int64,
        dir: RecordingDirection?,
        data: String?,
        details: JSONValue,
        prev: String
    ) {
        self.seq = seq
        self.t = t
        self.kind = kind
        self.conn = conn
        self.dir = dir
        self.data = data
        self.details = details
        self.prev = prev
        self.hash = ""
        self.hash = computeHash()
    }

    package var hashedBody: JSONValue {
        [
            "seq": .int(seq),
            "t": .int(t),
            "kind": .string(kind.rawValue),
            "conn": .int(conn),
            "dir": JSONValue(dir?.rawValue),
            "data": JSONValue(data),
            "details": details,
        ]
    }
}

package enum RecordingKind: String, Codable, Sendable, Equatable {
    /// First event: session metadata.
    case start
    /// A client connection opened.
    case open
    /// Bytes relayed.
    case data
    /// A statement a protocol engine saw, before it was forwarded (`details`: protocol, sql, parameters).
    case query
    /// What a statement returned as the client saw it (`details`: tag, columns, rows up to a limit, error).
    case result
    /// A terminal's size was set or changed (`details`: channel, cols, rows, and term when first set), so a replay
    /// can render the screen at the size the user saw.
    case resize
    /// A client connection closed.
    case close
    /// The session ended; nothing follows.
    case end
}

/// `up` is client → target, `down` is target → client.
package enum RecordingDirection: String, Codable, Sendable, Equatable {
    case up
    case down
}

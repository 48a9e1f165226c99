import Foundation

/// Plays a session recording back as text (`hoopctl replay`): SQL sessions as their statements, each followed by
/// its result; byte sessions (terminals, raw TCP) as the output the client received, and its input too when asked.
/// The original pauses are reproduced through `sleep`, scaled by the speed, so the CLI decides how to wait and tests
/// can observe the delays without waiting.
package struct ReplayRenderer: Sendable {
    package let options: ReplayOptions

    package init(options: ReplayOptions) throws(ReplayPatternError) {
        if let pattern = options.pattern {
            do {
                _ = try Regex(pattern)
            } catch {
                throw ReplayPatternError(pattern: pattern, reason: "\(error)")
            }
        }
        self.options = options
    }

    /// Renders `events` in order, handing each piece of text to `output` and waiting with `sleep` between pieces.
    package func render(
        _ events: [RecordingEvent],
        sleep: (Duration) async -> Void,
        output: (String) -> Void
    ) async {
        let matcher = ReplayMatcher(options: options)
        let statements = events.contains { $0.kind == .query || $0.kind == .result }
        var formatter = ReplaySQLFormatter()
        var decoders: [ReplayStream: ReplayByteDecoder] = [:]
        // Whether the latest statement on each connection is shown, so its results follow it in or out.
        var statementShown: [Int64: Bool] = [:]
        // SSH channels running sftp: their bytes are packets, shown as the file operations recorded from them.
        var fileChannels: Set<[Int64]> = []
        var lastShown: Int64?
        for event in events {
            var piece: String?
            switch event.kind {
            case .start where statements:
                piece = Self.header(event.details)
            case .query:
                if event.details["request"] == "subsystem", event.details["name"] == "sftp",
                    event.details["refused"] == nil, let channel = event.details["channel"]?.intValue
                {
                    fileChannels.insert([event.conn, channel])
                }
                let statement = formatter.statement(event)
                let shown = matcher.matches(statement.searchable)
                statementShown[event.conn] = shown
                piece = shown ? statement.shown : nil
            case .result:
                piece = statementShown[event.conn, default: matcher.showsAll] ? formatter.result(event.details) : nil
            case .data:
                guard let dir = event.dir, dir == .down || options.showInput else { continue }
                if let channel = event.details["channel"]?.intValue, fileChannels.contains([event.conn, channel]) {
                    continue
                }
                let bytes = Array(Data(base64Encoded: event.data ?? "") ?? Data())
                let text = decoders[ReplayStream(conn: event.conn, dir: dir), default: ReplayByteDecoder()].decode(
                    bytes)
                piece = matcher.matches(text) ? text : nil
            default:
                piece = nil
            }
            guard let piece, !piece.isEmpty else { continue }
            if let lastShown, let delay = delay(from: lastShown, to: event.t) { await sleep(delay) }
            lastShown = event.t
            output(piece)
        }
        for key in decoders.keys.sorted() {
            let rest = decoders[key]?.finish() ?? ""
            if !rest.isEmpty { output(rest) }
        }
    }

    /// The recorded gap between two shown pieces at the chosen speed; nil when there is nothing to wait for.
    private func delay(from earlier: Int64, to later: Int64) -> Duration? {
        guard options.timing, options.speed > 0, later > earlier else { return nil }
        return .microseconds(Int64((Double(later - earlier) / options.speed).rounded()))
    }

    /// The comment line that opens a SQL session's replay: whose session, on what, since when.
    private static func header(_ metadata: JSONValue) -> String {
        let field = { (key: String) in metadata[key]?.stringValue ?? "?" }
        return "-- session \(field("session")): \(field("actor")) on \(field("resource")) (\(field("type"))), "
            + "started \(field("started"))\n"
    }
}

/// One direction of one connection's byte stream.
struct ReplayStream: Hashable, Comparable {
    var conn: Int64
    var dir: RecordingDirection

    static func < (lhs: ReplayStream, rhs: ReplayStream) -> Bool {
        (lhs.conn, lhs.dir.rawValue) < (rhs.conn, rhs.dir.rawValue)
    }
}

/// The `--grep` test; with no pattern everything matches.
private struct ReplayMatcher {
    private let regex: Regex<AnyRegexOutput>?

    init(options: ReplayOptions) {
        let compiled = options.pattern.flatMap { try? Regex($0) }
        regex = options.ignoreCase ? compiled?.ignoresCase() : compiled
    }

    var showsAll: Bool { regex == nil }

    func matches(_ text: String) -> Bool {
        guard let regex else { return true }
        return text.contains(regex)
    }
}

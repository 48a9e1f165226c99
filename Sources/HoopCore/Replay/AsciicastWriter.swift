import Foundation

/// Exports a terminal or byte session as an asciicast v2 recording (a header line, then one `[seconds, "o", text]`
/// line per output chunk), so it can be played with standard asciinema tooling outside hoopctl.
package struct AsciicastWriter: Sendable {
    package var width: Int
    package var height: Int
    /// Also write what the client sent, as `"i"` events.
    package var includeInput: Bool

    package init(width: Int = 80, height: Int = 24, includeInput: Bool = false) {
        self.width = width
        self.height = height
        self.includeInput = includeInput
    }

    /// Writes the cast line by line to `output` (each line ends with `\n`).
    package func write(_ events: [RecordingEvent], output: (String) -> Void) {
        var header: [String: JSONValue] = ["version": 2, "width": .int(Int64(width)), "height": .int(Int64(height))]
        let started = events.first { $0.kind == .start }?.details["started"]?.stringValue.flatMap(Timestamp.parse)
        if let started { header["timestamp"] = .int(Int64(started.timeIntervalSince1970)) }
        output(Self.ordered(header, first: ["version", "width", "height", "timestamp"]) + "\n")
        var decoders: [ReplayStream: ReplayByteDecoder] = [:]
        for event in events where event.kind == .data {
            guard let dir = event.dir, dir == .down || includeInput else { continue }
            let bytes = Array(Data(base64Encoded: event.data ?? "") ?? Data())
            let text = decoders[ReplayStream(conn: event.conn, dir: dir), default: ReplayByteDecoder()].decode(bytes)
            guard !text.isEmpty else { continue }
            let code = dir == .down ? "o" : "i"
            output("[\(Self.seconds(event.t)), \"\(code)\", \(CanonicalJSON.string(.string(text)))]\n")
        }
    }

    /// Seconds with microsecond precision, the time format of asciicast events.
    static func seconds(_ micros: Int64) -> String {
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// The header object with its keys in the order the format's documentation shows them.
    private static func ordered(_ members: [String: JSONValue], first order: [String]) -> String {
        let fields = order.compactMap { key in members[key].map { "\"\(key)\":\(CanonicalJSON.string($0))" } }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

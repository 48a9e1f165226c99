/// Reads a recording file (`recordings/<session>.jsonl`) and checks it link by link, for replay and for the bundle
/// verifier alike: seq from 1, every `prev` the hash of the line before, every line matching its hash, a `start`
/// event first and nothing after an `end` event.
package enum RecordingFile {
    package static func events(in bytes: [UInt8]) throws(RecordingFileError) -> [RecordingEvent] {
        var cursor = ChainCursor(firstSeq: 1, anchor: HashChain.genesis)
        var events: [RecordingEvent] = []
        for (number, text) in JSONLines.split(bytes) {
            let event: RecordingEvent
            do {
                event = try RecordingEvent(jsonLine: text)
            } catch {
                throw RecordingFileError(line: number, seq: nil, reason: "not a valid recording event (\(error))")
            }
            if let problem = cursor.advance(seq: event.seq, prev: event.prev, hash: event.hash, intact: event.isIntact)
            {
                throw RecordingFileError(line: number, seq: event.seq, reason: problem)
            }
            if events.isEmpty && event.kind != .start {
                throw RecordingFileError(
                    line: number, seq: event.seq, reason: "the first event is \(event.kind.rawValue), not start")
            }
            if events.last?.kind == .end {
                throw RecordingFileError(line: number, seq: event.seq, reason: "follows the end event (appended)")
            }
            events.append(event)
        }
        return events
    }
}

/// The first broken link of a recording file.
package struct RecordingFileError: Error, Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var seq: Int64?
    package var reason: String

    package var description: String {
        "line \(line)" + (seq.map { " (seq \($0))" } ?? "") + ": \(reason)"
    }
}

import Foundation
import HoopCore

/// A recording read the way an auditor reads one the broker never closed: every whole line must chain from
/// `start` (checked by `RecordingFile`, as replay and the bundle verifier do), while a final line cut short by the
/// crash — bytes after the last newline — is set aside and reported rather than trusted or refused.
struct CrashedRecording {
    var events: [RecordingEvent]
    /// What followed the last newline: an event the broker was writing when it died (empty if none).
    var tornTail: [UInt8]

    init(_ url: URL) throws {
        let bytes = Array(try Data(contentsOf: url))
        let whole = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        events = try RecordingFile.events(in: Array(bytes[..<whole]))
        tornTail = Array(bytes[whole...])
    }
}

import Foundation
import HoopCore
import Testing

@testable import Broker

/// How a restarted broker closes the recording of a session it never closed: what a crash can leave — a final line
/// cut short — is cut off and counted; what a crash cannot leave — whole lines that do not chain — is left alone.
@Suite("Fail closed: sealing an interrupted recording")
struct FailClosedRecordingRecoveryTests {
    /// A recording as a killed broker leaves it: a start, two statements, and `torn` bytes of a third.
    static func crashedRecording(torn: String) throws -> (URL, [RecordingEvent]) {
        let directory = try TestEnvironment.scratchDirectory("recording")
        let recorder = try SessionRecorder(directory: directory, sessionID: "ses_crash", metadata: ["resource": "r"])
        try recorder.record(kind: .query, conn: 1, dir: .up, details: ["sql": "select 1"])
        try recorder.record(kind: .query, conn: 1, dir: .up, details: ["sql": "select 2"])
        let handle = try FileHandle(forWritingTo: recorder.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(torn.utf8))
        try handle.close()
        let whole = try CrashedRecording(recorder.url)
        return (recorder.url, whole.events)
    }

    @Test("a torn last line is cut off and counted; an end event saying interrupted is chained after the whole lines")
    func tornTail() throws {
        let torn = #"{"conn":1,"data":null,"details":{"sql":"sel"#
        let (url, before) = try Self.crashedRecording(torn: torn)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(try CrashedRecording(url).tornTail == Array(torn.utf8))

        let sealed = try InterruptedRecording.seal(url, details: ["note": "broker killed"])
        #expect(sealed.tornBytes == torn.utf8.count)
        let after = try RecordingFile.events(in: Array(try Data(contentsOf: url)))
        #expect(after.dropLast().map(\.hash) == before.map(\.hash))
        #expect(after.last?.kind == .end)
        #expect(after.last?.details["status"]?.stringValue == "interrupted")
        #expect(after.last?.details["torn_bytes"]?.intValue == Int64(torn.utf8.count))
        #expect(sealed.summary == RecordingSummary(events: 4, digest: after.last?.hash ?? ""))
    }

    @Test("sealing twice changes nothing the second time")
    func idempotent() throws {
        let (url, _) = try Self.crashedRecording(torn: "")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let first = try InterruptedRecording.seal(url, details: [:])
        let bytes = try Data(contentsOf: url)
        let second = try InterruptedRecording.seal(url, details: [:])
        #expect(second.summary == first.summary)
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test("whole lines that do not chain are refused and left exactly as found")
    func brokenChainIsLeftAlone() throws {
        let (url, _) = try Self.crashedRecording(torn: "")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let edited = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "select 2", with: "select 3")
        try edited.write(to: url, atomically: true, encoding: .utf8)
        #expect {
            try InterruptedRecording.seal(url, details: [:])
        } throws: { error in
            (error as? RecordingError)?.reason.contains("hash chain is broken") == true
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == edited)
    }
}

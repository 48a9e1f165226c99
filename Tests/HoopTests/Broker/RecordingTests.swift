import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

@Suite("Session recordings")
struct RecordingTests {
    @Test("a recording is a hash chain of what was relayed, and its digest is the last hash")
    func recordingChain() throws {
        let directory = try TestEnvironment.scratchDirectory("recording")
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorder = try SessionRecorder(directory: directory, sessionID: "ses_t", metadata: ["resource": "r"])
        let connection = recorder.newConnection()
        try recorder.record(kind: .open, conn: connection)
        try recorder.recordData(Array("select 1;".utf8), conn: connection, dir: .up)
        try recorder.recordData([0, 1, 2, 255], conn: connection, dir: .down)
        try recorder.record(kind: .close, conn: connection)
        let summary = try recorder.finish(details: ["status": "closed"])

        let attributes = try FileManager.default.attributesOfItem(atPath: recorder.url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let lines = try String(contentsOf: recorder.url, encoding: .utf8).split(separator: "\n")
        let events = try lines.map { try JSONDecoder().decode(RecordingEvent.self, from: Data($0.utf8)) }
        #expect(events.map(\.kind) == [.start, .open, .data, .data, .close, .end])
        #expect(events[2].data.flatMap { Data(base64Encoded: $0) } == Data("select 1;".utf8))
        #expect(events[3].dir == .down)
        var prev = HashChain.genesis
        for event in events {
            #expect(event.prev == prev)
            #expect(event.computeHash() == event.hash)
            prev = event.hash
        }
        #expect(summary.digest == prev)
        #expect(summary.events == 6)
        #expect(throws: RecordingError.self) { try recorder.recordData([1], conn: connection, dir: .up) }
    }

    @Test(
        "the recorder's one-pass encoding is byte for byte the canonical JSON of the event, hash included",
        arguments: [
            (RecordingKind.start, nil, nil, ["resource": "r", "started": "2026-11-21T00:00:00Z"]),
            (.data, RecordingDirection.up, "AAEC/w==", ["channel": 0, "stream": "stdin"]),
            (
                .query, .up, nil,
                [
                    "sql": "select '\u{1}\t\"quoted\" \\ é 🙂'", "parameters": [.null, "x", 3, true],
                    "nested": ["b": 1, "a": ["z": [], "Z": [:]]],
                ]
            ),
            (.end, nil, nil, [:]),
        ] as [(RecordingKind, RecordingDirection?, String?, JSONValue)]
    )
    func encodedLineIsCanonical(kind: RecordingKind, dir: RecordingDirection?, data: String?, details: JSONValue) {
        let prev = HashChain.link(prev: HashChain.genesis, body: "seed")
        let encoded = RecordingEvent.encode(
            seq: 42, t: -1, kind: kind, conn: 7, dir: dir, data: data, details: details, prev: prev)
        let event = RecordingEvent(
            seq: 42, t: -1, kind: kind, conn: 7, dir: dir, data: data, details: details, prev: prev)
        // The line as the format describes it: the hashed body plus prev and hash, canonical, then a newline.
        guard case .object(var members) = event.hashedBody else {
            Issue.record("a hashed body is an object")
            return
        }
        members["prev"] = .string(prev)
        members["hash"] = .string(event.hash)
        #expect(encoded.hash == event.hash)
        #expect(encoded.line == CanonicalJSON.encode(.object(members)) + [UInt8(ascii: "\n")])
        #expect(encoded.line.last == UInt8(ascii: "\n"))
    }

    @Test(
        "a data event encoded from raw bytes equals the one encoded from their base64 text",
        arguments: [0, 1, 2, 3, 4, 5, 57, 58, 59, 4096]
    )
    func rawDataEncodingMatchesText(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let prev = HashChain.link(prev: HashChain.genesis, body: "seed")
        let fromText = RecordingEvent.encode(
            seq: 9, t: 1234, kind: .data, conn: 3, dir: .down, data: Data(bytes).base64EncodedString(),
            details: ["channel": 1], prev: prev)
        let fromBytes = bytes.withUnsafeBytes { raw in
            RecordingEvent.encode(
                seq: 9, t: 1234, conn: 3, dir: .down, bytes: raw, details: ["channel": 1], prev: prev)
        }
        #expect(fromBytes.line == fromText.line)
        #expect(fromBytes.hash == fromText.hash)
        var appended: [UInt8] = []
        bytes.withUnsafeBytes { Base64Appender.append($0, to: &appended) }
        #expect(String(decoding: appended, as: UTF8.self) == Data(bytes).base64EncodedString())
    }

    @Test("a recording on a full disk is refused before any traffic flows (fail closed)")
    func recordingFailsClosed() throws {
        // /dev/full answers every write with ENOSPC: a real full disk, without filling one.
        #expect {
            try SessionRecorder(file: URL(fileURLWithPath: "/dev/full"), metadata: ["resource": "r"])
        } throws: { error in
            (error as? RecordingError)?.reason.contains("write failed") == true
        }
    }
}

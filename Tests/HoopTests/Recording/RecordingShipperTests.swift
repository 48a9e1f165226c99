import Foundation
import HoopCore
import Synchronization
import Testing

@testable import Broker

/// An archive that fails on purpose around a real one: refusing a shipment outright, or storing it and losing the
/// acknowledgement — the two ways a shipment can fail — and failing reads after a number of them.
final class FaultyArchive: RecordingArchive {
    enum Fault { case refuse, loseAcknowledgement }

    let archive: any RecordingArchive
    let next = Mutex<Fault?>(nil)
    /// How many more reads succeed before every later one fails; nil: reads never fail.
    let readsLeft = Mutex<Int?>(nil)

    init(_ archive: any RecordingArchive) { self.archive = archive }

    struct Injected: Error {}

    func append(_ bytes: [UInt8], to name: String, session: String, at offset: Int64) async throws -> Int64 {
        let fault = next.withLock { fault in
            defer { fault = nil }
            return fault
        }
        switch fault {
        case .refuse: throw Injected()
        case .loseAcknowledgement:
            try await archive.append(bytes, to: name, session: session, at: offset)
            throw Injected()
        case nil: return try await archive.append(bytes, to: name, session: session, at: offset)
        }
    }

    func read(_ name: String, from offset: Int64, limit: Int) async throws -> [UInt8]? {
        let fails = readsLeft.withLock { left in
            guard let count = left else { return false }
            left = count - 1
            return count <= 0
        }
        if fails { throw Injected() }
        return try await archive.read(name, from: offset, limit: limit)
    }
    func segments(of session: String) async throws -> [String] { try await archive.segments(of: session) }
    func truncate(_ name: String, to length: Int64) async throws { try await archive.truncate(name, to: length) }
    func remove(_ name: String) async throws { try await archive.remove(name) }
    func keepTombstone(_ json: [UInt8], of name: String) async throws {
        try await archive.keepTombstone(json, of: name)
    }
    func tombstone(of name: String) async throws -> [UInt8]? { try await archive.tombstone(of: name) }
}

@Suite("Recording shipper and interrupted segments in the archive")
struct RecordingShipperTests {
    /// A recorder writing segment `name` in a scratch folder (another broker's data dir).
    static func recorder(_ name: String) throws -> (SessionRecorder, URL) {
        let directory = try TestEnvironment.scratchDirectory("shipper")
        let recorder = try SessionRecorder(
            directory: directory.appendingPathComponent("recordings"), sessionID: name,
            metadata: ["session": .string(name)])
        return (recorder, directory)
    }

    static func file(_ recorder: SessionRecorder) throws -> [UInt8] {
        Array(try Data(contentsOf: recorder.url))
    }

    @Test("each shipment sends what was written since the last; a failure loses nothing")
    func incrementsAndRetry() async throws {
        try await ArchiveDatabase.with { database in
            let (recorder, directory) = try Self.recorder("ses_s.brk_2")
            defer { try? FileManager.default.removeItem(at: directory) }
            let archive = FaultyArchive(database.archive)
            let shipper = RecordingShipper(recorder: recorder, session: "ses_s", archive: archive)
            #expect(shipper.name == "ses_s.brk_2")

            let conn = recorder.newConnection()
            try recorder.record(kind: .open, conn: conn)
            try recorder.recordData(Array("SELECT 1".utf8), conn: conn, dir: .up)
            try recorder.flush()
            #expect(try await shipper.ship() == recorder.writtenLength)
            #expect(try await database.archive.segment("ses_s.brk_2") == Self.file(recorder))
            #expect(try await shipper.ship() == recorder.writtenLength, "nothing new, nothing sent")
            let chunks = try await database.chunkCount("ses_s.brk_2")

            // Refused: nothing moves; the next shipment sends both increments.
            try recorder.recordData(Array("one row".utf8), conn: conn, dir: .down)
            let before = await shipper.shippedLength
            archive.next.withLock { $0 = .refuse }
            await #expect(throws: FaultyArchive.Injected.self) { try await shipper.ship() }
            #expect(await shipper.shippedLength == before)
            try recorder.record(kind: .close, conn: conn)
            #expect(try await shipper.ship() == recorder.writtenLength)
            #expect(try await database.archive.segment("ses_s.brk_2") == Self.file(recorder))
            #expect(try await database.chunkCount("ses_s.brk_2") == chunks + 1)

            // Stored but unacknowledged: the resend from the last acknowledged offset repeats it harmlessly.
            try recorder.recordData(Array("SELECT 2".utf8), conn: conn, dir: .up)
            archive.next.withLock { $0 = .loseAcknowledgement }
            await #expect(throws: FaultyArchive.Injected.self) { try await shipper.ship() }
            let summary = try recorder.finish(details: ["status": "closed"])
            #expect(try await shipper.ship() == recorder.writtenLength)
            let archived = try #require(try await database.archive.segment("ses_s.brk_2"))
            #expect(try archived == Self.file(recorder))
            let events = try RecordingFile.events(in: archived)
            #expect(events.last?.kind == .end && events.last?.hash == summary.digest)
            #expect(Int64(events.count) == summary.events)
        }
    }

    @Test("a dead broker's segment is sealed from the archive: torn tail cut, end appended, its owner shut out")
    func interruptedFromArchive() async throws {
        try await ArchiveDatabase.with { database in
            let archive = database.archive
            let (recorder, directory) = try Self.recorder("ses_d.brk_dead")
            defer { try? FileManager.default.removeItem(at: directory) }
            let shipper = RecordingShipper(recorder: recorder, session: "ses_d", archive: archive)
            let conn = recorder.newConnection()
            try recorder.record(kind: .open, conn: conn)
            try recorder.recordData(Array("SELECT 1".utf8), conn: conn, dir: .up)
            let whole = try await shipper.ship()
            let torn = Array("{\"seq\":4,\"t\":".utf8)
            try await archive.append(torn, to: "ses_d.brk_dead", session: "ses_d", at: whole)

            let sealed = try await InterruptedRecording.seal(
                "ses_d.brk_dead", session: "ses_d", in: archive, details: ["note": "taken over"])
            #expect(sealed.tornBytes == torn.count)
            let bytes = try #require(try await archive.segment("ses_d.brk_dead"))
            let events = try RecordingFile.events(in: bytes)
            #expect(events.map(\.kind) == [.start, .open, .data, .end])
            #expect(events.last?.details["status"]?.stringValue == "interrupted")
            #expect(events.last?.details["torn_bytes"]?.intValue == Int64(torn.count))
            #expect(sealed.summary == RecordingSummary(events: 4, digest: events.last!.hash))
            let written = try Self.file(recorder)
            #expect(bytes.prefix(Int(whole)) == written.prefix(Int(whole)))

            // Sealing again changes nothing; the owner, still shipping, is refused instead of extending it.
            let again = try await InterruptedRecording.seal(
                "ses_d.brk_dead", session: "ses_d", in: archive, details: [:])
            #expect(again.summary == sealed.summary && again.tornBytes == 0)
            try recorder.recordData(Array("late".utf8), conn: conn, dir: .down)
            let late = await #expect(throws: RecordingArchiveError.self) { try await shipper.ship() }
            #expect(late?.kind == .conflict)
            #expect(try await archive.segment("ses_d.brk_dead") == bytes)
        }
    }

    @Test("a segment whose chain is broken is left exactly as archived")
    func brokenSegmentLeftUnsealed() async throws {
        try await ArchiveDatabase.with { database in
            let (recorder, directory) = try Self.recorder("ses_e.brk_1")
            defer { try? FileManager.default.removeItem(at: directory) }
            try recorder.recordData(Array("SELECT 1".utf8), conn: recorder.newConnection(), dir: .up)
            var bytes = try Self.file(recorder)
            let index = try #require(bytes.lastIndex(of: UInt8(ascii: "1")))
            bytes[index] = UInt8(ascii: "2")
            try await database.archive.append(bytes, to: "ses_e.brk_1", session: "ses_e", at: 0)
            let error = await #expect(throws: RecordingError.self) {
                try await InterruptedRecording.seal("ses_e.brk_1", session: "ses_e", in: database.archive, details: [:])
            }
            #expect(error?.reason.hasPrefix("left unsealed: its hash chain is broken") == true)
            #expect(try await database.archive.segment("ses_e.brk_1") == bytes)
            let missing = await #expect(throws: RecordingError.self) {
                try await InterruptedRecording.seal("ses_f", session: "ses_f", in: database.archive, details: [:])
            }
            #expect(missing?.reason == "left unsealed: the archive holds no such segment")
        }
    }
}

import HoopCore
import NIOCore
import Testing

@testable import Broker

/// The sftp reader against packets built the way OpenSSH's client and server send them.
@Suite("SSH: sftp file operations")
struct SFTPFileOperationsTests {
    /// `uint32 length, byte type, payload`.
    static func packet(_ type: UInt8, _ fields: [Field]) -> ByteBuffer {
        var payload = ByteBuffer()
        for field in fields {
            switch field {
            case .u32(let value): payload.writeInteger(value)
            case .u64(let value): payload.writeInteger(value)
            case .string(let text):
                payload.writeInteger(UInt32(text.utf8.count))
                payload.writeString(text)
            case .bytes(let bytes):
                payload.writeInteger(UInt32(bytes.count))
                payload.writeBytes(bytes)
            }
        }
        var packet = ByteBuffer()
        packet.writeInteger(UInt32(payload.readableBytes + 1))
        packet.writeInteger(type)
        packet.writeBuffer(&payload)
        return packet
    }

    enum Field {
        case u32(UInt32)
        case u64(UInt64)
        case string(String)
        case bytes([UInt8])
    }

    @Test("an upload and a download: opens with their access, bytes per file at close, refusals with their status")
    func uploadAndDownload() {
        var reader = SFTPFileOperations()
        var events: [SFTPFileOperations.Event] = []
        let handle: [UInt8] = [0, 0, 0, 7]
        events += reader.observe(Self.packet(1, [.u32(3)]), direction: .up)  // INIT
        events += reader.observe(Self.packet(2, [.u32(3)]), direction: .down)  // VERSION
        // OPEN for write|create|truncate, split across two reads mid-packet.
        var open = Self.packet(3, [.u32(1), .string("/srv/app.env"), .u32(0x1A), .u32(0)])
        let head = open.readSlice(length: 9)!
        events += reader.observe(head, direction: .up)
        #expect(events.isEmpty)
        events += reader.observe(open, direction: .up)
        events += reader.observe(Self.packet(102, [.u32(1), .bytes(handle)]), direction: .down)  // HANDLE
        events += reader.observe(
            Self.packet(6, [.u32(2), .bytes(handle), .u64(0), .bytes(Array(repeating: 1, count: 300))]), direction: .up)
        events += reader.observe(Self.packet(5, [.u32(3), .bytes(handle), .u64(0), .u32(4096)]), direction: .up)
        events += reader.observe(
            Self.packet(103, [.u32(3), .bytes(Array(repeating: 2, count: 120))]), direction: .down)
        events += reader.observe(Self.packet(5, [.u32(4), .bytes(handle), .u64(120), .u32(4096)]), direction: .up)
        events += reader.observe(Self.packet(101, [.u32(4), .u32(1), .string("EOF"), .string("")]), direction: .down)
        events += reader.observe(Self.packet(4, [.u32(5), .bytes(handle)]), direction: .up)  // CLOSE
        events += reader.observe(Self.packet(13, [.u32(6), .string("/etc/shadow")]), direction: .up)  // REMOVE
        events += reader.observe(
            Self.packet(101, [.u32(6), .u32(3), .string("Permission denied"), .string("")]), direction: .down)
        events += reader.observe(Self.packet(18, [.u32(7), .string("/a"), .string("/b")]), direction: .up)  // RENAME
        events += reader.observe(Self.packet(17, [.u32(8), .string("/a")]), direction: .up)  // STAT: not recorded

        #expect(events.count == 5)
        #expect(events[0].kind == .query)
        #expect(events[0].details["operation"] == "open")
        #expect(events[0].details["path"] == "/srv/app.env")
        #expect(events[0].details["access"] == ["write", "create", "truncate"])
        #expect(events[1].details["operation"] == "close")
        #expect(events[1].details["bytes_written"] == 300)
        #expect(events[1].details["bytes_read"] == 120)
        #expect(events[2].details["operation"] == "remove")
        #expect(events[3].kind == .result)
        #expect(events[3].details["error"] == ["code": "3", "message": "Permission denied"])
        #expect(events[3].details["path"] == "/etc/shadow")
        #expect(events[4].details["paths"] == ["/a", "/b"])
        #expect(events.allSatisfy { $0.details["protocol"] == "sftp" })
    }

    @Test("bytes that are not sftp stop the reading with one event, and later bytes are ignored")
    func unreadableStream() {
        var reader = SFTPFileOperations()
        var garbage = ByteBuffer()
        garbage.writeInteger(UInt32(50_000_000))
        garbage.writeString("not sftp")
        let events = reader.observe(garbage, direction: .up)
        #expect(events.count == 1)
        #expect(events.first?.details["operation"] == "unreadable")
        #expect(reader.observe(Self.packet(13, [.u32(1), .string("/x")]), direction: .up).isEmpty)
    }
}

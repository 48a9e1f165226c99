import HoopCore
import NIOCore

/// Reads both directions of an sftp channel and records what the client did to files, in words an auditor reads:
/// which paths it opened and how (read, write, create, truncate), what it listed, removed, renamed, created or
/// changed, how many bytes it read and wrote per file (recorded when the file is closed), and every request the
/// server refused with its status. The raw channel data is recorded as well; this is the readable index over it.
///
/// Requests and responses are matched by request id, files by handle. A stream that is not sftp (a packet larger
/// than any sftp implementation sends) stops the reading with one `unreadable` event; relaying goes on, recorded
/// as bytes.
struct SFTPFileOperations {
    /// One recorded line: `query` for a request, `result` for the server's refusal of one.
    struct Event {
        var kind: RecordingKind
        var details: [String: JSONValue]
    }

    /// Requests that act on the one path they start with, by packet type.
    private static let pathOperations: [UInt8: String] = [9: "setstat", 13: "remove", 14: "mkdir", 15: "rmdir"]

    /// Requests and open handles tracked at once; a client past it has its further ones recorded unmatched.
    static let trackingLimit = 4096

    private var up = SFTPPacketStream()
    private var down = SFTPPacketStream()
    private var unreadable = false
    /// Requests awaiting an answer: what was asked (for refusals) and, for opens and reads, what to do with it.
    private var requests: [UInt32: Request] = [:]
    private var files: [[UInt8]: FileUse] = [:]

    private struct Request {
        var operation: String
        var path: String?
        var pending: Pending
    }

    private enum Pending {
        case none
        case open(path: String, directory: Bool)
        case read(handle: [UInt8])
    }

    private struct FileUse {
        var path: String
        var directory: Bool
        var read = 0
        var written = 0
    }

    /// The events for `data` read from the client (`up`) or the target (`down`).
    mutating func observe(_ data: ByteBuffer, direction: RecordingDirection) -> [Event] {
        guard !unreadable else { return [] }
        do {
            switch direction {
            case .up: return try up.feed(data).compactMap { request($0) }
            case .down: return try down.feed(data).compactMap { response($0) }
            }
        } catch {
            unreadable = true
            return [Event(kind: .query, details: ["operation": "unreadable", "reason": .string(error.description)])]
        }
    }

    // MARK: Client requests

    private mutating func request(_ packet: SFTPPacketStream.Packet) -> Event? {
        var payload = packet.payload
        guard packet.type != 1, let id = payload.readInteger(as: UInt32.self) else { return nil }  // 1: INIT
        switch packet.type {
        case 3:  // OPEN: filename, pflags, attrs
            guard let path = payload.readSFTPString(), let flags = payload.readInteger(as: UInt32.self) else {
                return nil
            }
            track(id, Request(operation: "open", path: path, pending: .open(path: path, directory: false)))
            return query("open", ["path": .string(path), "access": .array(Self.access(flags).map { .string($0) })])
        case 4:  // CLOSE: handle
            guard let handle = payload.readSFTPBytes(), let file = files.removeValue(forKey: handle) else { return nil }
            track(id, Request(operation: "close", path: file.path, pending: .none))
            guard !file.directory else { return nil }
            return query(
                "close",
                [
                    "path": .string(file.path), "bytes_read": .int(Int64(file.read)),
                    "bytes_written": .int(Int64(file.written)),
                ])
        case 5:  // READ: handle, offset, length
            guard let handle = payload.readSFTPBytes(), files[handle] != nil else { return nil }
            track(id, Request(operation: "read", path: files[handle]?.path, pending: .read(handle: handle)))
            return nil
        case 6:  // WRITE: handle, offset, data
            guard let handle = payload.readSFTPBytes(), payload.readInteger(as: UInt64.self) != nil,
                let length = payload.readInteger(as: UInt32.self)
            else { return nil }
            files[handle]?.written += Int(length)
            track(id, Request(operation: "write", path: files[handle]?.path, pending: .none))
            return nil
        case let type where Self.pathOperations[type] != nil:  // SETSTAT, REMOVE, MKDIR, RMDIR: path first
            guard let operation = Self.pathOperations[type], let path = payload.readSFTPString() else { return nil }
            track(id, Request(operation: operation, path: path, pending: .none))
            return query(operation, ["path": .string(path)])
        case 11:  // OPENDIR: path
            guard let path = payload.readSFTPString() else { return nil }
            track(id, Request(operation: "list", path: path, pending: .open(path: path, directory: true)))
            return query("list", ["path": .string(path)])
        case 18, 20:  // RENAME: old, new; SYMLINK: two paths (OpenSSH sends target, then link)
            let operation = packet.type == 18 ? "rename" : "symlink"
            guard let first = payload.readSFTPString(), let second = payload.readSFTPString() else { return nil }
            track(id, Request(operation: operation, path: first, pending: .none))
            return query(operation, ["paths": [.string(first), .string(second)]])
        case 200:  // EXTENDED: name, then the extension's fields
            guard let name = payload.readSFTPString() else { return nil }
            track(id, Request(operation: name, path: nil, pending: .none))
            var details: [String: JSONValue] = ["name": .string(name)]
            if name == "posix-rename@openssh.com" || name == "hardlink@openssh.com",
                let first = payload.readSFTPString(), let second = payload.readSFTPString()
            {
                details["paths"] = [.string(first), .string(second)]
            }
            return query("extended", details)
        default:  // stat, lstat, fstat, fsetstat, readdir, realpath, readlink: looking, not acting
            return nil
        }
    }

    // MARK: Server responses

    private mutating func response(_ packet: SFTPPacketStream.Packet) -> Event? {
        var payload = packet.payload
        guard packet.type != 2, let id = payload.readInteger(as: UInt32.self) else { return nil }  // 2: VERSION
        guard let request = requests.removeValue(forKey: id) else { return nil }
        switch (packet.type, request.pending) {
        case (101, _):  // STATUS: code, message
            guard let code = payload.readInteger(as: UInt32.self), code != 0, code != 1 || request.operation != "read"
            else { return nil }  // OK, and EOF ending a read, are not refusals
            let error: JSONValue = ["code": .string(String(code)), "message": .string(payload.readSFTPString() ?? "")]
            var details: [String: JSONValue] = [
                "protocol": "sftp", "operation": .string(request.operation), "error": error,
            ]
            if let path = request.path { details["path"] = .string(path) }
            return Event(kind: .result, details: details)
        case (102, .open(let path, let directory)):  // HANDLE
            if let handle = payload.readSFTPBytes(), files.count < Self.trackingLimit {
                files[handle] = FileUse(path: path, directory: directory)
            }
            return nil
        case (103, .read(let handle)):  // DATA
            if let length = payload.readInteger(as: UInt32.self) { files[handle]?.read += Int(length) }
            return nil
        default:
            return nil
        }
    }

    // MARK: Helpers

    private mutating func track(_ id: UInt32, _ request: Request) {
        guard requests.count < Self.trackingLimit else { return }
        requests[id] = request
    }

    private func query(_ operation: String, _ details: [String: JSONValue]) -> Event {
        var details = details
        details["protocol"] = "sftp"
        details["operation"] = .string(operation)
        return Event(kind: .query, details: details)
    }

    /// The names of an OPEN's `pflags`.
    static func access(_ flags: UInt32) -> [String] {
        let names: [(UInt32, String)] = [
            (0x01, "read"), (0x02, "write"), (0x04, "append"), (0x08, "create"), (0x10, "truncate"),
            (0x20, "exclusive"),
        ]
        return names.filter { flags & $0.0 != 0 }.map(\.1)
    }
}

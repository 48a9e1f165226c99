import NIOCore

/// Cuts one direction of an sftp channel into packets (`uint32 length`, `byte type`, payload; version 3 of the
/// file transfer draft, which OpenSSH speaks), however the bytes were split across channel data.
struct SFTPPacketStream {
    /// OpenSSH's own limit is 256 KiB; anything far beyond it is not sftp.
    static let maximumLength = 1 << 20

    struct Packet {
        var type: UInt8
        var payload: ByteBuffer
    }

    enum Failure: Error, CustomStringConvertible {
        case oversized(Int)

        var description: String {
            switch self {
            case .oversized(let length): "an sftp packet of \(length) bytes exceeds \(SFTPPacketStream.maximumLength)"
            }
        }
    }

    private var buffer = ByteBuffer()

    /// The packets completed by `bytes`; a partial packet waits for the rest.
    mutating func feed(_ bytes: ByteBuffer) throws(Failure) -> [Packet] {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
        var packets: [Packet] = []
        while let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self).map(Int.init) {
            guard length >= 1, length <= Self.maximumLength else { throw .oversized(length) }
            guard buffer.readableBytes >= 4 + length else { break }
            buffer.moveReaderIndex(forwardBy: 4)
            guard let type = buffer.readInteger(as: UInt8.self), let payload = buffer.readSlice(length: length - 1)
            else { break }
            packets.append(Packet(type: type, payload: payload))
        }
        buffer.discardReadBytes()
        return packets
    }
}

extension ByteBuffer {
    /// An sftp `string` (uint32 length, bytes) as text; names that are not UTF-8 are shown with replacement marks.
    mutating func readSFTPString() -> String? {
        guard let length = readInteger(as: UInt32.self), let bytes = readBytes(length: Int(length)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An sftp `string` as raw bytes (handles are opaque).
    mutating func readSFTPBytes() -> [UInt8]? {
        guard let length = readInteger(as: UInt32.self) else { return nil }
        return readBytes(length: Int(length))
    }
}

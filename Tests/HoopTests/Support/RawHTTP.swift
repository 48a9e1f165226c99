import Foundation

/// Sends bytes exactly as given to a loopback port and reads what comes back until the peer closes or goes quiet:
/// how the HTTP attack tests send framing no well-behaved client library would produce.
enum RawHTTP {
    /// One connection: `request` sent whole, then everything read until the peer closes or goes quiet.
    static func exchange(port: Int, _ request: String, quiet: Duration = .seconds(3)) throws -> String {
        let connection = try Connection(port: port)
        try connection.send(request)
        return connection.receive(quiet: quiet)
    }
}

extension RawHTTP {
    /// One loopback connection driven step by step: send part of a request, read what has come back, half-close or
    /// drop the connection mid-message, as a misbehaving client would.
    final class Connection {
        private let socket: Int32
        private var open = true

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { throw PeerError("socket() failed") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                Glibc.close(socket)
                throw PeerError("cannot connect to port \(port)")
            }
        }

        deinit { if open { Glibc.close(socket) } }

        func send(_ text: String) throws { try send(Array(text.utf8)) }

        func send(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
                guard sent > 0 else { throw PeerError("short write") }
                offset += sent
            }
        }

        /// What arrives until the peer closes, goes quiet for `quiet`, or `limit` bytes have come.
        func receive(quiet: Duration = .seconds(3), limit: Int = .max) -> String {
            String(decoding: receiveBytes(quiet: quiet, limit: limit), as: UTF8.self)
        }

        func receiveBytes(quiet: Duration = .seconds(3), limit: Int = .max) -> [UInt8] {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            let milliseconds = Int32(quiet.components.seconds * 1000)
            while received.count < limit {
                var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, milliseconds) > 0 else { break }
                let count = recv(socket, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                received += buffer[..<count]
            }
            return received
        }

        /// Whether the peer has closed its side: a read returns end of stream within `wait`.
        func peerClosed(within wait: Duration = .seconds(3)) -> Bool {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(wait.components.seconds * 1000)) > 0 else { return false }
            var byte: UInt8 = 0
            return recv(socket, &byte, 1, Int32(MSG_PEEK)) == 0
        }

        /// Ends the sending side only; the response can still be read.
        func halfClose() { shutdown(socket, Int32(SHUT_WR)) }

        /// Drops the connection with a reset, as a killed client does.
        func reset() {
            guard open else { return }
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            Glibc.close(socket)
            open = false
        }
    }
}

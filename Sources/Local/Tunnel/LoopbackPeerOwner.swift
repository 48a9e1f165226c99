import Foundation

/// Which local user owns the other end of a loopback TCP connection, asked of the kernel's socket diagnostics, or
/// read from its socket tables (`/proc/net/tcp`, `/proc/net/tcp6`) where those diagnostics are not available.
/// `hoopctl connect` accepts only its own user's connections, so on a shared host another account cannot ride a
/// session through the forwarded port — for raw TCP resources, which have no protocol login to carry a per-session
/// secret, this is what authenticates the port.
enum LoopbackPeerOwner {
    /// The uid owning the peer's socket of a connection accepted on `listener` from `peer`, or nil when no such
    /// socket is found (the connection is already gone, or the kernel cannot be asked).
    static func uid(peerIP: String, peerPort: Int, listenIP: String, listenPort: Int) -> uid_t? {
        switch SocketDiagnostics.tcpOwner(
            localIP: peerIP, localPort: peerPort, remoteIP: listenIP, remotePort: listenPort)
        {
        case .owner(let uid): return uid
        case .noSuchSocket: return nil
        case .unavailable: return tableLookup(peerPort: peerPort, listenPort: listenPort)
        }
    }

    private static func tableLookup(peerPort: Int, listenPort: Int) -> uid_t? {
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readAll(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
                let fields = line.split(separator: " ")
                guard fields.count > 7, port(fields[1]) == peerPort, port(fields[2]) == listenPort else { continue }
                return uid_t(fields[7])
            }
        }
        return nil
    }

    /// Reads a procfs file to its end. procfs reports a size of 0, so readers that trust the size get a truncated
    /// table once many sockets exist.
    private static func readAll(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return String(decoding: bytes, as: UTF8.self)
            } else if errno != EINTR {
                return nil
            }
        }
    }

    /// The port of a `HEXADDRESS:HEXPORT` field.
    private static func port(_ field: Substring) -> Int? {
        field.split(separator: ":").last.flatMap { Int($0, radix: 16) }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks that a chosen local port can be listened on before a session (or an approval request) is asked for:
/// finding the port taken after an approver said yes is a dead end. The listener itself is bound later, so a port
/// taken in between is still reported then; this only catches the common case early.
enum LocalPortProbe {
    /// Throws when 127.0.0.1:`port` cannot be bound now; port 0 (any free port) always can.
    static func check(_ port: Int) throws(LocalError) {
        guard port != 0 else { return }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound != 0 else { return }
        throw LocalError(
            .tunnel,
            "cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(errno)))",
            hint: "choose another port with --port, or 0 for any free port; no session was requested"
        )
    }
}

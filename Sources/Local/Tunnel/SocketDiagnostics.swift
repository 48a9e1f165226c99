import Foundation

/// Asks the kernel's socket diagnostics (netlink `NETLINK_SOCK_DIAG`, what `ss` uses) for the owner of one TCP
/// socket, looked up by its exact addresses and ports.
///
/// The lookup is a hash probe in the kernel, where reading `/proc/net/tcp` walks every socket on the machine: on a
/// busy host (thousands of TIME_WAIT sockets after a burst of short connections) that walk was most of what
/// accepting a forwarded connection cost.
enum SocketDiagnostics {
    /// What the kernel said about a socket.
    enum Answer: Equatable {
        case owner(uid_t)
        /// The kernel has no such socket (the connection is already gone).
        case noSuchSocket
        /// Socket diagnostics cannot be used here (no netlink in this sandbox, say); ask another way.
        case unavailable
    }

    // Constants from linux/netlink.h, linux/sock_diag.h and linux/inet_diag.h.
    private static let netlinkSockDiag: Int32 = 4
    private static let sockDiagByFamily: UInt16 = 20
    private static let netlinkError: UInt16 = 2
    private static let requestFlag: UInt16 = 1
    private static let headerSize = 16
    /// `struct inet_diag_req_v2`: family, protocol, extensions, padding, states, then the 48-byte socket id.
    private static let requestSize = 56
    /// `idiag_uid` in `struct inet_diag_msg`, after family/state/timer/retrans, the socket id and three counters.
    private static let uidOffset = 64

    /// The owner of the TCP socket whose local end is `local` and whose remote end is `remote` (both IPv4 or both
    /// IPv6, as the connection's addresses are).
    static func tcpOwner(localIP: String, localPort: Int, remoteIP: String, remotePort: Int) -> Answer {
        guard let (family, source) = addressBytes(localIP), let (remoteFamily, destination) = addressBytes(remoteIP),
            family == remoteFamily, let sport = UInt16(exactly: localPort), let dport = UInt16(exactly: remotePort)
        else { return .unavailable }
        let descriptor = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
        guard descriptor >= 0 else { return .unavailable }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var request = [UInt8](repeating: 0, count: headerSize + requestSize)
        put(UInt32(request.count), at: 0, in: &request)
        put(sockDiagByFamily, at: 4, in: &request)
        put(requestFlag, at: 6, in: &request)
        put(UInt32(1), at: 8, in: &request)
        request[16] = UInt8(family)
        request[17] = UInt8(IPPROTO_TCP)
        put(UInt32.max, at: 20, in: &request)  // every TCP state
        put(sport.bigEndian, at: 24, in: &request)
        put(dport.bigEndian, at: 26, in: &request)
        request.replaceSubrange(28..<28 + source.count, with: source)
        request.replaceSubrange(44..<44 + destination.count, with: destination)
        for index in 64..<72 { request[index] = 0xFF }  // INET_DIAG_NOCOOKIE

        var kernel = [UInt8](repeating: 0, count: 12)  // struct sockaddr_nl: pid 0 is the kernel
        put(UInt16(AF_NETLINK), at: 0, in: &kernel)
        let sent = kernel.withUnsafeBytes { address in
            request.withUnsafeBytes { bytes in
                sendto(
                    descriptor, bytes.baseAddress, bytes.count, 0,
                    address.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count))
            }
        }
        guard sent == request.count else { return .unavailable }

        var reply = [UInt8](repeating: 0, count: 8192)
        let received = reply.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard received >= headerSize else { return .unavailable }
        switch get(UInt16.self, at: 4, in: reply) {
        case sockDiagByFamily where received >= headerSize + uidOffset + 4:
            return .owner(get(UInt32.self, at: headerSize + uidOffset, in: reply))
        case netlinkError:
            // An error message carries a negative errno; ENOENT means no socket matched.
            let code = Int32(bitPattern: get(UInt32.self, at: headerSize, in: reply))
            return code == -ENOENT ? .noSuchSocket : .unavailable
        default:
            return .unavailable
        }
    }

    /// The address family and the address in network order, as the socket id holds it.
    private static func addressBytes(_ text: String) -> (Int32, [UInt8])? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return (AF_INET, withUnsafeBytes(of: v4) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return (AF_INET6, withUnsafeBytes(of: v6) { Array($0) })
        }
        return nil
    }

    /// Stores `value` in the machine's byte order, as netlink headers are.
    private static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }

    private static func get<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, in bytes: [UInt8]) -> T {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }
}

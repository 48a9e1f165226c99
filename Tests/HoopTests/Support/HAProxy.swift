import Foundation

/// haproxy (Debian's) in TCP mode in front of several brokers, as an operator runs it: round-robin, with health
/// checks quick enough that a killed broker leaves the rotation within about a second. TLS passes through, so
/// clients verify the brokers' shared certificate end to end.
final class HAProxy: Sendable {
    let port: Int
    let directory: URL
    private let process: ChildProcess

    var url: String { "https://127.0.0.1:\(port)" }

    init(backends: [Int]) async throws {
        directory = try TestEnvironment.scratchDirectory("haproxy")
        port = try TestEnvironment.freePort()
        let servers = backends.enumerated().map { index, backend in
            "    server broker\(index + 1) 127.0.0.1:\(backend) check inter 300ms fall 2 rise 2"
        }
        let config = """
            global
                maxconn 4096
            defaults
                mode tcp
                timeout connect 2s
                timeout client 1h
                timeout server 1h
                retries 2
                option redispatch
            frontend brokers
                bind 127.0.0.1:\(port)
                default_backend brokers
            backend brokers
                balance roundrobin
            \(servers.joined(separator: "\n"))

            """
        let file = directory.appendingPathComponent("haproxy.cfg")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let check = try await ChildProcess.run("/usr/sbin/haproxy", ["-c", "-f", file.path])
        guard check.status == 0 else { throw PeerError("haproxy rejected its config: \(check.stdout)\(check.stderr)") }
        process = try ChildProcess("haproxy", executable: "/usr/sbin/haproxy", arguments: ["-db", "-f", file.path])
        for _ in 0..<100 where !Self.accepts(port: port) {
            try await Task.sleep(for: .milliseconds(100))
        }
        guard Self.accepts(port: port) else {
            process.signal(SIGKILL)
            throw PeerError("haproxy did not listen on \(port): \(process.stdout)\(process.stderr)")
        }
    }

    func stop() async {
        await process.stop()
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted now.
    private static func accepts(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    var output: String { process.stdout + process.stderr }
}

import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Local

/// The forwarder's peer check asks the kernel who owns a loopback connection's other end.
@Suite("Local: loopback peer owner")
struct SocketDiagnosticsTests {
    @Test("the kernel names this process's user as the owner of its own loopback connection, on IPv4 and IPv6")
    func ownConnection() async throws {
        for host in ["127.0.0.1", "::1"] {
            let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: host, port: 0).get()
            let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(to: try #require(listener.localAddress)).get()
            let local = try #require(client.localAddress)
            let remote = try #require(client.remoteAddress)
            let answer = SocketDiagnostics.tcpOwner(
                localIP: try #require(local.ipAddress), localPort: try #require(local.port),
                remoteIP: try #require(remote.ipAddress), remotePort: try #require(remote.port))
            #expect(answer == .owner(getuid()), "\(host)")
            // The lookup the forwarder makes gives the same answer.
            #expect(
                LoopbackPeerOwner.uid(
                    peerIP: local.ipAddress!, peerPort: local.port!, listenIP: remote.ipAddress!,
                    listenPort: remote.port!) == getuid())
            // Ports that belong to no connection are reported as such, not guessed.
            let absent = SocketDiagnostics.tcpOwner(
                localIP: local.ipAddress!, localPort: 1, remoteIP: remote.ipAddress!, remotePort: 2)
            #expect(absent == .noSuchSocket)
            try await client.close()
            try await listener.close()
        }
    }
}

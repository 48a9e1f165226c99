import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

@testable import MySQLWire

/// A minimal MySQL client over NIO for driving `MySQLWire`'s state machines against a real server: it frames
/// packets, hands them out one at a time, and can start TLS in the middle of the login as the protocol requires.
final class MySQLTestClient: Sendable {
    private enum Event: Sendable {
        case packet(MySQLPacket)
        case tlsEstablished
    }

    /// Hands every inbound packet and the end of the TLS handshake to the test's stream.
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = MySQLPacket
        let continuation: AsyncThrowingStream<Event, any Error>.Continuation

        init(_ continuation: AsyncThrowingStream<Event, any Error>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(.packet(unwrapInboundIn(data)))
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent {
                continuation.yield(.tlsEstablished)
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            continuation.finish(throwing: error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
        }
    }

    private let channel: any Channel
    private let events: AsyncThrowingStream<Event, any Error>

    init(port: Int) async throws {
        let (events, continuation) = AsyncThrowingStream<Event, any Error>.makeStream()
        self.events = events
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(MySQLPacketDecoder()),
                        MessageToByteHandler(MySQLPacketEncoder()),
                        Collector(continuation),
                    ])
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
    }

    func close() async {
        try? await channel.close()
    }

    func send(_ packet: MySQLPacket) async throws {
        try await channel.writeAndFlush(packet)
    }

    /// The next packet from the server, or an error if the connection ends or nothing comes within ten seconds.
    func receive() async throws -> MySQLPacket {
        while true {
            switch try await nextEvent() {
            case .packet(let packet): return packet
            case .tlsEstablished: continue
            }
        }
    }

    private func nextEvent() async throws -> Event {
        let events = self.events
        return try await withThrowingTaskGroup(of: Event?.self) { group in
            group.addTask {
                var iterator = events.makeAsyncIterator()
                return try await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                throw PeerError("no packet from the server within 10 s")
            }
            defer { group.cancelAll() }
            guard let event = try await group.next() ?? nil else {
                throw PeerError("the server closed the connection")
            }
            return event
        }
    }

    /// Sends the SSLRequest in the clear, then starts TLS under the framing and waits for its handshake.
    func startTLS(after sslRequest: MySQLPacket, verifyingWith caFile: URL?) async throws {
        try await send(sslRequest)
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile.path))
            configuration.certificateVerification = .fullVerification
        } else {
            configuration.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: configuration)
        let channel = self.channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: context, serverHostname: nil),
                position: .first
            )
        }.get()
        guard case .tlsEstablished = try await nextEvent() else {
            throw PeerError("a packet arrived before the TLS handshake completed")
        }
    }

    /// Runs a login to the end: its final action (`.loggedIn` or `.fail`).
    func logIn(_ login: inout MySQLClientLogin, caFile: URL? = nil) async throws -> MySQLClientLogin.Action {
        var action = try login.received(try await receive())
        while true {
            switch action {
            case .send(let packet):
                try await send(packet)
                action = try login.received(try await receive())
            case .startTLS(let sslRequest):
                try await startTLS(after: sslRequest, verifyingWith: caFile)
                action = login.tlsEstablished()
            case .wait:
                action = try login.received(try await receive())
            case .loggedIn, .fail:
                return action
            }
        }
    }

    /// Sends a command and classifies every packet of its answer with the tracker until it is complete.
    func run(_ command: MySQLCommand, tracker: inout MySQLResponseTracker) async throws -> [MySQLServerPacket] {
        tracker.commandSent(command)
        try await send(MySQLPacket(sequenceID: 0, payload: command.payload))
        var packets: [MySQLServerPacket] = []
        while !tracker.isIdle {
            packets.append(try tracker.received(try await receive()))
        }
        return packets
    }
}

import Foundation
import HoopCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Opens the broker side of one tunnel: TCP, TLS verified against the broker's trust anchor, then
/// `GET /v1/tunnel` asking to upgrade to `hoop-tunnel/1` with the session grant.
struct TunnelDialer: Sendable {
    static let connectTimeout: TimeAmount = .seconds(10)

    let endpoint: BrokerEndpoint
    let trust: TrustAnchor
    private let grant: String
    /// Extra request headers, e.g. how the broker should treat statements held for approval.
    private let headers: [(name: String, value: String)]
    /// Built once per forwarder: creating a TLS context parses the trust roots.
    private let tlsContext: NIOSSLContext

    init(configuration: PortForwarder.Configuration) throws(LocalError) {
        try self.init(endpoint: configuration.endpoint, trust: configuration.trust, grant: configuration.grant)
    }

    init(
        endpoint: BrokerEndpoint,
        trust: TrustAnchor,
        grant: String,
        headers: [(name: String, value: String)] = []
    ) throws(LocalError) {
        self.endpoint = endpoint
        self.trust = trust
        self.grant = grant
        self.headers = headers
        let configuration = (endpoint: endpoint, trust: trust)
        var tls = configuration.trust.tlsConfiguration
        // The tunnel is an HTTP/1.1 upgrade; HTTP/2 has no such thing.
        tls.applicationProtocols = ["http/1.1"]
        do {
            self.tlsContext = try NIOSSLContext(configuration: tls)
        } catch {
            throw LocalError(.tunnel, "cannot set up TLS for tunnels to \(configuration.endpoint.authority): \(error)")
        }
    }

    /// Connects to the broker on `local`'s event loop, so the two connections can be glued without hops.
    /// `connected` completes with the TCP connection; `handshake` with the broker's answer to the upgrade request.
    func dial(
        for local: any Channel
    ) -> (connected: EventLoopFuture<any Channel>, handshake: EventLoopFuture<TunnelHandshake>) {
        dial(on: local.eventLoop, upgrader: .splicing(to: local))
    }

    /// Connects on `eventLoop`; after the broker's 101, `upgrader` wires the tunnel.
    func dial(
        on eventLoop: any EventLoop,
        upgrader: TunnelClientUpgrader
    ) -> (connected: EventLoopFuture<any Channel>, handshake: EventLoopFuture<TunnelHandshake>) {
        let handshake = eventLoop.makePromise(of: TunnelHandshake.self)
        let serverHostname = self.endpoint.isIPAddress ? nil : self.endpoint.host
        let pipeline = self.pipelineConfiguration(upgrader: upgrader)
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(Self.connectTimeout)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { [tlsContext] channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname)
                    try channel.pipeline.syncOperations.addHandler(tls)
                    let answer = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: pipeline
                    )
                    answer.cascade(to: handshake)
                }
            }
            .connect(host: self.endpoint.host, port: self.endpoint.port)
        connected.whenFailure { handshake.fail($0) }
        // A broker that closes the connection before its answer is complete (a refusal right behind the 101,
        // under load) must not leave the caller waiting: completes nothing once the handshake has an answer.
        connected.whenSuccess { channel in
            channel.closeFuture.whenComplete { _ in handshake.fail(ChannelError.eof) }
        }
        return (connected, handshake.futureResult)
    }

    /// Dials on `eventLoop` and waits for the broker's answer to the upgrade: returns the upgraded channel (wired by
    /// `upgrader`), or throws the broker's refusal, or the transport's failure, in words the user can act on.
    func open(on eventLoop: any EventLoop, upgrader: TunnelClientUpgrader) async throws(LocalError) -> any Channel {
        let (connected, handshake) = self.dial(on: eventLoop, upgrader: upgrader)
        let answer: TunnelHandshake
        do {
            answer = try await handshake.get()
        } catch {
            throw self.explain(error)
        }
        switch answer {
        case .spliced:
            do {
                return try await connected.get()
            } catch {
                throw self.explain(error)
            }
        case .refused(let body):
            let refusal: Result<TunnelRefusal, any Error>
            do {
                refusal = .success(try await body.get())
            } catch {
                refusal = .failure(error)
            }
            throw self.explain(refusal)
        }
    }

    /// Why a tunnel could not be opened.
    func explain(_ error: any Error) -> LocalError {
        if let error = error as? ChannelError, error == .inappropriateOperationForState || error == .eof {
            return LocalError(
                .tunnel,
                "the broker at \(self.endpoint.authority) closed the tunnel connection before answering",
                hint: "check the broker's logs"
            )
        }
        return .transport(error, endpoint: self.endpoint, trust: self.trust)
    }

    /// Why the broker turned a tunnel down, from its answer.
    func explain(_ answer: Result<TunnelRefusal, any Error>) -> LocalError {
        switch answer {
        case .success(let refusal):
            return .brokerAnswer(
                status: Int(refusal.status.code),
                body: Data(refusal.body.readableBytesView),
                endpoint: self.endpoint,
                unauthorizedHint: { _ in "the session grant is no longer valid: run `hoopctl connect` again" }
            )
        case .failure(let error):
            return self.explain(error)
        }
    }

    private func pipelineConfiguration(
        upgrader: TunnelClientUpgrader
    ) -> NIOUpgradableHTTPClientPipelineConfiguration<TunnelHandshake> {
        let upgrade = NIOTypedHTTPClientUpgradeConfiguration<TunnelHandshake>(
            upgradeRequestHead: self.requestHead(),
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture {
                    let refusal = channel.eventLoop.makePromise(of: TunnelRefusal.self)
                    try channel.pipeline.syncOperations.addHandler(TunnelRefusalCollector(refusal: refusal))
                    return .refused(refusal.futureResult)
                }
            }
        )
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgrade)
        // Bytes the broker sends right behind its 101 belong to the tunnel: hand them on, never drop them.
        configuration.leftOverBytesStrategy = .forwardBytes
        return configuration
    }

    private func requestHead() -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: APIPath.tunnel)
        head.headers.add(name: "Host", value: self.endpoint.authority)
        head.headers.add(name: "Authorization", value: "Bearer \(self.grant)")
        for header in self.headers {
            head.headers.add(name: header.name, value: header.value)
        }
        return head
    }
}

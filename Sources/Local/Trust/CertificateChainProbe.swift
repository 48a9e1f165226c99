import NIOCore
import NIOPosix
import NIOSSL

/// Fetches the certificate chain a broker presents, without trusting it, so it can be shown and pinned on first
/// contact. The handshake is completed (rather than aborted once the chain is seen) so the broker logs an ordinary
/// connection instead of a handshake failure.
enum CertificateChainProbe {
    static let connectTimeout: TimeAmount = .seconds(10)

    /// The chain as presented, leaf first.
    static func presentedChain(by endpoint: BrokerEndpoint) async throws(LocalError) -> [NIOSSLCertificate] {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // The custom callback below replaces verification entirely; with `.none` NIOSSL would not call it at all.
        configuration.certificateVerification = .noHostnameVerification
        let serverHostname = endpoint.isIPAddress ? nil : endpoint.host

        do {
            let context = try NIOSSLContext(configuration: configuration)
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let presented = eventLoop.makePromise(of: [NIOSSLCertificate].self)
            let channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(Self.connectTimeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let observer = ChainObserver(presented: presented)
                        let tls = try NIOSSLClientHandler(
                            context: context,
                            serverHostname: serverHostname,
                            customVerificationCallback: { certificates, verification in
                                observer.chain = certificates
                                verification.succeed(.certificateVerified)
                            }
                        )
                        try channel.pipeline.syncOperations.addHandlers(tls, observer)
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port)
                .get()
            defer { channel.close(promise: nil) }
            return try await presented.futureResult.get()
        } catch {
            throw .transport(error, endpoint: endpoint, trust: nil)
        }
    }
}

/// Hands over the presented chain once the TLS handshake has completed, or fails if the connection ends first.
private final class ChainObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Set by the verification callback, which runs on this channel's event loop before the handshake completes.
    var chain: [NIOSSLCertificate] = []
    private let presented: EventLoopPromise<[NIOSSLCertificate]>

    init(presented: EventLoopPromise<[NIOSSLCertificate]>) {
        self.presented = presented
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            self.presented.succeed(self.chain)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.presented.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.presented.fail(NIOSSLError.handshakeFailed(.sslError([])))
        context.fireChannelInactive()
    }
}

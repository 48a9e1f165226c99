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

        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let presented = eventLoop.makePromise(of: [NIOSSLCertificate].self)
        do {
            let context = try NIOSSLContext(configuration: configuration)
            let channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(Self.connectTimeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tls = try NIOSSLClientHandler(
                            context: context,
                            serverHostname: serverHostname,
                            customVerificationCallback: { certificates, verification in
                                presented.succeed(certificates)
                                verification.succeed(.certificateVerified)
                            }
                        )
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port)
                .get()
            defer { channel.close(promise: nil) }
            do {
                // NIOSSL holds writes until the handshake is done, so an empty write completes just after it.
                try await channel.writeAndFlush(ByteBuffer())
            } catch {
                throw LocalError(
                    .brokerError,
                    "the TLS handshake with \(endpoint.authority) did not complete",
                    hint: "check that \(endpoint.url) is the broker's HTTPS port"
                )
            }
            // A handshake cannot complete without the callback having run; this only guards against waiting forever.
            presented.fail(NIOSSLError.noCertificateToValidate)
            return try await presented.futureResult.get()
        } catch {
            // Completes the promise on every failure path; NIO ignores completing it a second time.
            presented.fail(error)
            throw .transport(error, endpoint: endpoint, trust: nil)
        }
    }
}

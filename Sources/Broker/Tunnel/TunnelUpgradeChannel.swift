import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The broker's one listener serves two things per connection: the JSON API (handed to Hummingbird) or, when the
/// first request asks for `Upgrade: hoop-tunnel/1` with a valid grant, a raw byte tunnel to a resource.
struct TunnelUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    static let protocolToken = TunnelProtocol.upgradeToken

    enum UpgradeResult: Sendable {
        case tunnel(OpenedTunnel, any Channel)
        case refusedTunnel(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, BrokerError)
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let gate: TunnelGate
    let idleTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let attempt = NIOLockedValueBox<TunnelAttempt>(.none)
            let upgrader = TunnelServerUpgrader(gate: gate, attempt: attempt)
            let configuration = NIOTypedHTTPServerUpgradeConfiguration<UpgradeResult>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: true))
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger)
                        )
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        if case .refused(let error) = attempt.withLockedValue({ $0 }) {
                            return .refusedTunnel(http, error)
                        }
                        return .notUpgraded(http)
                    }
                }
            )
            var pipelineConfiguration = NIOUpgradableHTTPServerPipelineConfiguration(
                upgradeConfiguration: configuration
            )
            pipelineConfiguration.enablePipelining = false
            pipelineConfiguration.enableErrorHandling = false
            pipelineConfiguration.enableResponseHeaderValidation = false
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: pipelineConfiguration
            )
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .notUpgraded(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refusedTunnel(let http, let error):
                await Self.writeRefusal(error, to: http, logger: logger)
            case .tunnel(let opened, let client):
                await gate.close(opened, client: client)
            }
        } catch {
            logger.debug("connection ended during negotiation", metadata: ["error": "\(error)"])
        }
    }

    private static func writeRefusal(
        _ error: BrokerError,
        to http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>,
        logger: Logger
    ) async {
        let body = APIErrorBody(error: APIErrorDetail(code: error.code, message: error.message, hint: error.hint))
        let bytes = (try? HoopJSON.encoder().encode(body)) ?? Data()
        do {
            try await http.executeThenClose { _, outbound in
                let head = HTTPResponse(
                    status: APIError.status(for: error.kind),
                    headerFields: [
                        .contentType: "application/json",
                        .contentLength: String(bytes.count),
                        .connection: "close",
                    ]
                )
                try await outbound.write(contentsOf: [.head(head), .body(ByteBuffer(bytes: bytes)), .end(nil)])
            }
        } catch {
            logger.debug("cannot write tunnel refusal", metadata: ["error": "\(error)"])
        }
    }
}

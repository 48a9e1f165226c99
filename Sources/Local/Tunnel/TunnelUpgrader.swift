import HoopCore
import NIOCore
import NIOHTTP1

/// Accepts the broker's switch to `hoop-tunnel/1` and splices the connection to the local client's. The broker
/// connection is opened on the local connection's event loop, so both pipelines can be changed here directly.
struct TunnelUpgrader: NIOTypedHTTPClientProtocolUpgrader {
    typealias UpgradeResult = TunnelHandshake

    /// The local client connection the tunnel serves.
    let local: any Channel

    var supportedProtocol: String { TunnelProtocol.upgradeToken }

    var requiredUpgradeHeaders: [String] { [] }

    func addCustom(upgradeRequestHeaders: inout HTTPHeaders) {}

    func shouldAllowUpgrade(upgradeResponse: HTTPResponseHead) -> Bool {
        true
    }

    func upgrade(channel: any Channel, upgradeResponse: HTTPResponseHead) -> EventLoopFuture<TunnelHandshake> {
        channel.eventLoop.makeCompletedFuture {
            self.local.eventLoop.preconditionInEventLoop()
            let (brokerSide, localSide) = GlueHandler.matchedPair()
            try channel.pipeline.syncOperations.addHandler(brokerSide)
            try self.local.pipeline.syncOperations.addHandler(localSide)
            return .spliced
        }
    }
}

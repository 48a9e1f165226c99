import HoopCore
import NIOCore
import NIOHTTP1

/// The client's side of the tunnel handshake: accepts the broker's switch to `hoop-tunnel/1` and splices the connection to the local client's. The broker
/// connection is opened on the local connection's event loop, so both pipelines can be changed here directly.
struct TunnelClientUpgrader: NIOTypedHTTPClientProtocolUpgrader {
    /// Glues the upgraded broker connection to `local`, byte for byte.
    static func splicing(to local: any Channel) -> TunnelClientUpgrader {
        TunnelClientUpgrader { channel in
            local.eventLoop.preconditionInEventLoop()
            let (brokerSide, localSide) = GlueHandler.matchedPair()
            try channel.pipeline.syncOperations.addHandler(brokerSide)
            try local.pipeline.syncOperations.addHandler(localSide)
        }
    }

    typealias UpgradeResult = TunnelHandshake

    /// Wires the upgraded broker connection: glued to a local socket (`connect`), or handed to an in-process
    /// protocol client (`exec`).
    let install: @Sendable (any Channel) throws -> Void

    var supportedProtocol: String { TunnelProtocol.upgradeToken }

    var requiredUpgradeHeaders: [String] { [] }

    func addCustom(upgradeRequestHeaders: inout HTTPHeaders) {}

    func shouldAllowUpgrade(upgradeResponse: HTTPResponseHead) -> Bool {
        true
    }

    func upgrade(channel: any Channel, upgradeResponse: HTTPResponseHead) -> EventLoopFuture<TunnelHandshake> {
        channel.eventLoop.makeCompletedFuture {
            try self.install(channel)
            return .spliced
        }
    }
}

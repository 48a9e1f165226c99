import Foundation
import HoopCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The broker's side of the tunnel handshake: NIO's server upgrader for `Upgrade: hoop-tunnel/1`. The gate runs while the response is built; when it refuses, the
/// refusal is parked in `attempt` and NIO falls back to HTTP, where the error is written as a JSON response.
struct TunnelServerUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = TunnelUpgradeChannel.UpgradeResult

    let gate: TunnelGate
    let attempt: NIOLockedValueBox<TunnelAttempt>

    var supportedProtocol: String { TunnelUpgradeChannel.protocolToken }
    var requiredUpgradeHeaders: [String] { [] }

    func buildUpgradeResponse(
        channel: any Channel,
        upgradeRequest: HTTPRequestHead,
        initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        let grant = Self.bearer(upgradeRequest.headers)
        let approvalMode = ApprovalMode(
            modeHeader: upgradeRequest.headers.first(name: ApprovalHeader.mode),
            approvalHeader: upgradeRequest.headers.first(name: ApprovalHeader.approval)
        )
        let promise = channel.eventLoop.makePromise(of: HTTPHeaders.self)
        let attempt = self.attempt
        let gate = self.gate
        promise.completeWithTask {
            do throws(BrokerError) {
                let opened = try await gate.open(grant: grant, approvalMode: approvalMode, client: channel)
                attempt.withLockedValue { $0 = .opened(opened) }
                return initialResponseHeaders
            } catch {
                attempt.withLockedValue { $0 = .refused(error) }
                throw error
            }
        }
        return promise.futureResult
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        channel.eventLoop.makeCompletedFuture {
            guard case .opened(let opened) = attempt.withLockedValue({ $0 }) else {
                throw BrokerError(.internalFailure, code: "upgrade_state", message: "upgrade without an open tunnel")
            }
            do {
                try opened.prepared.attach(client: channel)
            } catch {
                opened.prepared.abandon()
                throw error
            }
            return .tunnel(opened, channel)
        }
    }

    static func bearer(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

/// What happened to a connection's upgrade attempt, shared between the upgrader and the fallback path.
enum TunnelAttempt: Sendable {
    case none
    case opened(OpenedTunnel)
    case refused(BrokerError)
}

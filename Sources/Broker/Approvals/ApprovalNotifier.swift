import AsyncHTTPClient
import Foundation
import HoopCore
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// Tells approver groups about requests and decisions through their webhooks. Delivery runs in its own tasks and is
/// retried with backoff; a dead webhook is logged and counted but never delays or refuses the data path.
final class ApprovalNotifier: Sendable {
    /// One notification: the event's webhook name (`ApprovalEvent.webhookEvent`) and the request.
    struct Message: Encodable, Sendable {
        var event: String
        var approval: ApprovalInfo
        /// Slack-compatible summary line, so an incoming-webhook URL works without a translator.
        var text: String
        /// The request's page for approvers (`<web.public_url>/approvals/N`), when the broker serves the page.
        var url: String?
    }

    private let config: ApprovalsConfig
    /// The approver page, whose links the messages carry; nil when the broker serves none.
    private let web: WebConfig?
    private let client: HTTPClient
    private let logger: Logger
    private let attempts: Int
    private let firstBackoff: Duration
    private let delivered = Counter(label: "hoop_approval_webhooks_delivered_total")
    private let failed = Counter(label: "hoop_approval_webhooks_failed_total")

    init(
        config: ApprovalsConfig,
        web: WebConfig? = nil,
        client: HTTPClient = .shared,
        logger: Logger,
        attempts: Int = 4,
        firstBackoff: Duration = .seconds(1)
    ) {
        self.config = config
        self.web = web
        self.client = client
        self.logger = logger
        self.attempts = attempts
        self.firstBackoff = firstBackoff
    }

    /// Starts delivery to every webhook of the request's approver groups and returns at once. Events approvers are
    /// not told about (`ApprovalEvent.used`) are not sent.
    func notify(_ event: ApprovalEvent, _ approval: ApprovalRecord) {
        let targets = config.webhooks(for: approval.approverGroups)
        guard let name = event.webhookEvent, !targets.isEmpty else { return }
        let page = web.map { Self.pageURL($0, approval.id) }
        let message = Message(
            event: name, approval: approval.info, text: Self.summary(event, approval, page: page), url: page)
        let body: Data
        do {
            body = try HoopJSON.encoder().encode(message)
        } catch {
            logger.error("cannot encode approval notification", metadata: ["error": "\(error)"])
            return
        }
        for target in targets {
            Task { await self.deliver(body, to: target, event: name, id: approval.id) }
        }
    }

    private func deliver(_ body: Data, to target: ApprovalWebhook, event: String, id: Int64) async {
        var backoff = firstBackoff
        for attempt in 1...attempts {
            do {
                var request = HTTPClientRequest(url: target.url.absoluteString)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "hoopctl-broker")
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(response.status.code) {
                    delivered.increment()
                    return
                }
                throw WebhookStatusError(status: Int(response.status.code))
            } catch {
                let metadata: Logger.Metadata = [
                    "webhook": "\(target.url.absoluteString)", "group": "\(target.group)", "event": "\(event)",
                    "approval": "\(id)", "attempt": "\(attempt)", "error": "\(error)",
                ]
                if attempt == attempts {
                    failed.increment()
                    logger.error("approval webhook gave up", metadata: metadata)
                    return
                }
                logger.warning("approval webhook failed; retrying", metadata: metadata)
                try? await Task.sleep(for: backoff)
                backoff *= 2
            }
        }
    }

    /// Where an approver opens request `id` on the web page.
    static func pageURL(_ web: WebConfig, _ id: Int64) -> String { web.url("/approvals/\(id)") }

    static func summary(_ event: ApprovalEvent, _ approval: ApprovalRecord, page: String? = nil) -> String {
        let subject =
            approval.kind == .session
            ? "a session on \(approval.resource)"
            : "`\(approval.statement ?? "")` on \(approval.resource)"
        switch event {
        case .requested:
            return "\(approval.requesterName) asks to run \(subject) (rule \(approval.rule); "
                + "\(approval.minApprovals) approval(s) from \(approval.approverGroups.joined(separator: ", "))). "
                + "Approve: \(approval.info.approveCommand) · Deny: hoopctl approvals deny \(approval.id)"
                + (page.map { " · Open: \($0)" } ?? "")
        case .withdrawn:
            return "Approval \(approval.id) for \(subject) was withdrawn by \(approval.requesterName)'s side; "
                + "nothing to decide."
        default:
            let who = approval.decisions.last.map { " by \($0.approverName)" } ?? ""
            return "Approval \(approval.id) for \(subject) requested by \(approval.requesterName): "
                + "\(approval.status.rawValue)\(who)."
        }
    }
}

/// A webhook answered with a non-2xx status.
private struct WebhookStatusError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "the webhook answered HTTP \(status)" }
}

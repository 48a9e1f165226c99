package import Foundation

/// How approval requests behave broker-wide: how long they wait, and whom to tell.
package struct ApprovalsConfig: Sendable {
    /// A request not decided within this time expires; the held statement or session is refused.
    package var timeout: TimeInterval
    /// An approved request not used within this time of its approval expires unused: an approval is consent to run
    /// something now, not a standing permission an agent can keep for later.
    package var useWithin: TimeInterval
    /// Webhooks told about requests and decisions, per approver group.
    package var notify: [ApprovalWebhook]

    package static let defaults = ApprovalsConfig(timeout: 900, useWithin: 900, notify: [])

    /// The webhooks for any of `groups`, each once.
    package func webhooks(for groups: [String]) -> [ApprovalWebhook] {
        var seen: Set<URL> = []
        return notify.filter { groups.contains($0.group) && seen.insert($0.url).inserted }
    }
}

/// One webhook: a URL that receives a JSON POST (with a Slack-compatible `text` field) for an approver group.
package struct ApprovalWebhook: Sendable, Equatable {
    package var group: String
    package var url: URL
}

/// Who must approve, and how many of them.
package struct ApprovalRequirement: Sendable, Equatable {
    package var approvers: [String]
    package var minApprovals: Int
}

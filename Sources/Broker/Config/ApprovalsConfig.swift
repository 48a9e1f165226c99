public import Foundation

/// How approval requests behave broker-wide: how long they wait, and whom to tell.
public struct ApprovalsConfig: Sendable {
    /// A request not decided within this time expires; the held statement or session is refused.
    public var timeout: TimeInterval
    /// Webhooks told about requests and decisions, per approver group.
    public var notify: [ApprovalWebhook]

    public static let defaults = ApprovalsConfig(timeout: 900, notify: [])

    /// The webhooks for any of `groups`, each once.
    public func webhooks(for groups: [String]) -> [ApprovalWebhook] {
        var seen: Set<URL> = []
        return notify.filter { groups.contains($0.group) && seen.insert($0.url).inserted }
    }
}

/// One webhook: a URL that receives a JSON POST (with a Slack-compatible `text` field) for an approver group.
public struct ApprovalWebhook: Sendable, Equatable {
    public var group: String
    public var url: URL
}

/// Who must approve, and how many of them.
public struct ApprovalRequirement: Sendable, Equatable {
    public var approvers: [String]
    public var minApprovals: Int
}

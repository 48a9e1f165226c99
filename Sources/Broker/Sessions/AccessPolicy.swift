import HoopCore

/// Who may open sessions to what. For now a resource's `allow_groups`; guardrails and approvals plug in beside it.
enum AccessPolicy {
    /// True when the principal shares at least one group with the resource's allow list.
    static func allows(_ principal: Principal, _ resource: ResourceConfig) -> Bool {
        !Set(principal.groups).isDisjoint(with: resource.allowGroups)
    }

    static func isAdmin(_ principal: Principal, config: BrokerConfig) -> Bool {
        !Set(principal.groups).isDisjoint(with: config.adminGroups)
    }

    /// A session's recording (`hoopctl replay`, the web page's session and replay pages) is for its owner, auditors
    /// and admins.
    static func mayReplay(_ session: SessionRecord, by principal: Principal, config: BrokerConfig) -> Bool {
        session.isOwned(by: principal) || isAuditor(principal, config: config)
    }

    /// Auditors (and admins) may export evidence and replay any session.
    static func isAuditor(_ principal: Principal, config: BrokerConfig) -> Bool {
        isAdmin(principal, config: config) || !Set(principal.groups).isDisjoint(with: config.auditorGroups)
    }
}

import Foundation
import HoopCore

/// One person's login to the approver page, held in the broker's memory only: a restart logs everyone out, which
/// costs a redirect through the IdP and keeps no bearer credential on disk.
struct WebSession: Sendable {
    /// 256 random bits; the `__Host-hoop-session` cookie's value.
    let id: String
    let principal: Principal
    let method: WebLoginMethod
    /// The CSRF token every form of this session carries; a POST with another session's token is refused.
    let csrfToken: String
    let createdAt: Date
    var lastSeen: Date

    /// Whether the session is still usable at `now`: used within the idle limit and younger than the lifetime.
    func isLive(at now: Date, config: WebConfig) -> Bool {
        now.timeIntervalSince(lastSeen) < config.sessionIdle
            && now.timeIntervalSince(createdAt) < config.sessionLifetime
    }
}

import Foundation

/// The direct-mode logins the broker has issued, by user name. An entry outlives its session by `retention` past
/// the session's expiry, so a login replayed after its session was revoked, expired or closed is refused — and
/// audited — with that reason, not as a name nobody knows. Owned by the session manager's actor.
struct DirectLoginTable {
    struct Login: Sendable {
        var sessionID: String
        var password: String
        var expiresAt: Date
    }

    /// How long a login is remembered after its session's expiry; memory is bounded by the sessions granted within
    /// their lifetime plus this.
    static let retention: TimeInterval = 3_600

    /// What an unknown name is compared against, so an unknown name and a wrong password take the same time.
    static let decoy = SessionPassword.generate()

    private var logins: [String: Login] = [:]

    func login(_ user: String) -> Login? {
        logins[user]
    }

    mutating func issue(_ user: String, _ login: Login) {
        logins[user] = login
    }

    /// Forgets the logins whose sessions expired longer than `retention` ago.
    mutating func prune(now: Date) {
        logins = logins.filter { $0.value.expiresAt.addingTimeInterval(Self.retention) > now }
    }
}

import Foundation
import Synchronization

/// OIDC logins started and not yet finished, by their `state`. Each is used once, expires after ten minutes, and is
/// bound to the browser that started it by the `__Host-hoop-login` cookie holding the same state.
final class WebPendingLogins: Sendable {
    struct Login: Sendable {
        var issuer: String
        var clientID: String
        var endpoints: OIDCWebEndpoints
        var nonce: String
        var pkce: PKCE
        var next: String
        var startedAt: Date
    }

    static let lifetime: TimeInterval = 600
    /// Started logins beyond this drop the oldest: a flood of starts cannot grow memory.
    static let largestTable = 10_000

    private let table = Mutex<[String: Login]>([:])

    /// Remembers `login` under a fresh state and returns the state.
    func add(_ login: Login) -> String {
        let state = RandomSecret.random()
        table.withLock { table in
            if table.count >= Self.largestTable {
                table = table.filter { login.startedAt.timeIntervalSince($0.value.startedAt) < Self.lifetime }
                while table.count >= Self.largestTable,
                    let oldest = table.min(by: { $0.value.startedAt < $1.value.startedAt })
                {
                    table[oldest.key] = nil
                }
            }
            table[state] = login
        }
        return state
    }

    /// Takes the login the callback's `state` names, if the browser's login cookie names the same one and it has
    /// not expired. Any answer removes it: a state is good for one callback.
    func take(state: String?, cookie: String?, now: Date = Date()) -> Login? {
        guard let state, let cookie, RandomSecret.equal(state, cookie) else { return nil }
        guard let login = table.withLock({ $0.removeValue(forKey: state) }) else { return nil }
        return now.timeIntervalSince(login.startedAt) < Self.lifetime ? login : nil
    }
}

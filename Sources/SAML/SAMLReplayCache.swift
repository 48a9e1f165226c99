package import Foundation
import Synchronization

/// Assertion ids already accepted, each kept until its NotOnOrAfter (plus skew), after which the assertion would be
/// refused as expired anyway. A bearer assertion captured in transit (or from a browser's history) must not log in a
/// second time. Bounded: when full of unexpired ids it refuses new logins rather than forget one, since forgetting
/// would reopen replay.
package final class SAMLReplayCache: Sendable {
    package let capacity: Int
    private let seen = Mutex<[String: Date]>([:])

    package init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Records `assertionID` as used until `expiry`; refuses one already recorded and not yet expired.
    package func remember(_ assertionID: String, until expiry: Date, now: Date) throws(SAMLRejection) {
        let outcome: SAMLRejection? = seen.withLock { seen in
            if let until = seen[assertionID], until > now { return .replayed(assertionID) }
            if seen.count >= capacity { seen = seen.filter { $0.value > now } }
            guard seen.count < capacity else { return .replayCacheFull }
            seen[assertionID] = expiry
            return nil
        }
        if let outcome { throw outcome }
    }
}

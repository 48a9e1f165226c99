import Foundation
import Logging

/// How long the store keeps the deployment's rejection counts, in windows (an hour of one-minute windows).
enum RejectionWindows {
    static let kept: Int64 = 60
}

/// Shares rejected-credential counts between the brokers of a deployment through the store, once a second: each
/// broker adds what it counted and learns the totals, so a source that spreads bad tokens over every broker behind
/// the load balancer is throttled as soon as the deployment has seen its allowance, not three times that. The
/// request path stays synchronous and local; the deployment's view lags by at most a sweep.
struct RejectionSharing: Sendable {
    let limiter: TokenRejectionLimiter
    let store: any Store
    let logger: Logger

    func sync(now: Date = Date()) async {
        for (window, counts) in limiter.takeUnsynced(now: now) {
            do {
                limiter.learn(try await store.addRejections(counts, window: window), window: window)
            } catch {
                limiter.giveBack(counts, window: window)
                logger.error("cannot share rejected-credential counts", metadata: ["error": "\(error)"])
            }
        }
    }
}

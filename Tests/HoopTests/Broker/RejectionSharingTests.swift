import Foundation
import Logging
import Testing

@testable import Broker

/// Rejected credentials counted across the brokers of a deployment: a source that spreads bad tokens over three
/// brokers behind a load balancer is throttled once the deployment has seen its allowance, not three times that.
@Suite("Rejected credentials shared between brokers")
struct RejectionSharingTests {
    let store: SQLiteStore
    let policy = TokenRejectionLimiter.Policy(auditedPerWindow: 2, allowedPerWindow: 10, window: 60)

    init() throws {
        store = try SQLiteStore(
            path: try TestEnvironment.scratchDirectory("rejection-sharing").appendingPathComponent("broker.db"))
    }

    @Test("each broker below the allowance alone, together past it: throttled everywhere after a sync")
    func spreadSourceIsThrottled() async throws {
        let brokers = (0..<3).map { _ in TokenRejectionLimiter(policy: policy) }
        let sharing = brokers.map { RejectionSharing(limiter: $0, store: store, logger: Logger(label: "test")) }
        // Whole window boundaries are the same on every broker; stay clear of one.
        let now = Date(timeIntervalSince1970: 1_800_000_010)
        for limiter in brokers {
            for _ in 0..<4 { _ = limiter.rejected("203.0.113.5", reason: "invalid_token", now: now) }
            #expect(limiter.admit("203.0.113.5", now: now) == .verify, "4 of 10 on this broker alone")
        }
        for broker in sharing { await broker.sync(now: now) }
        // The first brokers synced before the others had added theirs; the next sweep brings every one the total.
        #expect(brokers[0].admit("203.0.113.5", now: now) == .verify, "it knew only its own 4 so far")
        for broker in sharing { await broker.sync(now: now) }
        for limiter in brokers {
            guard case .throttle(let retryAfter) = limiter.admit("203.0.113.5", now: now) else {
                Issue.record("12 rejections across the deployment must throttle the source")
                continue
            }
            #expect(retryAfter == 50, "until the shared window ends")
        }
        #expect(brokers[1].admit("198.51.100.1", now: now) == .verify, "another source is untouched")
        // The next window starts afresh.
        #expect(brokers[1].admit("203.0.113.5", now: now.addingTimeInterval(60)) == .verify)
    }

    @Test("counts the store could not take are kept for the next sync")
    func failedSyncKeepsCounts() async throws {
        let limiter = TokenRejectionLimiter(policy: policy)
        let now = Date(timeIntervalSince1970: 1_800_000_010)
        for _ in 0..<11 { _ = limiter.rejected("203.0.113.6", reason: "expired", now: now) }
        let taken = limiter.takeUnsynced(now: now)
        #expect(taken == [limiter.windowNumber(now): ["203.0.113.6": 11]])
        limiter.giveBack(taken[limiter.windowNumber(now)] ?? [:], window: limiter.windowNumber(now))
        await RejectionSharing(limiter: limiter, store: store, logger: Logger(label: "test")).sync(now: now)
        #expect(try await store.addRejections([:], window: limiter.windowNumber(now)).isEmpty)
        #expect(
            try await store.addRejections(["203.0.113.6": 0], window: limiter.windowNumber(now)) == [
                "203.0.113.6": 11
            ])
    }
}

import Foundation
import Testing

@testable import Broker

/// An agent looping on a bad token: the first rejections are audited one by one, the rest counted for one summary,
/// and the source is throttled before verification once past its allowance — without touching other sources.
@Suite("Rejected tokens are limited and summarized per source")
struct TokenRejectionLimiterTests {
    static let policy = TokenRejectionLimiter.Policy(auditedPerWindow: 3, allowedPerWindow: 6, window: 60)

    @Test("audited, then summarized, then throttled until the window ends")
    func oneSource() {
        let limiter = TokenRejectionLimiter(policy: Self.policy)
        let start = Date(timeIntervalSince1970: 1_000_000)
        var accounting: [TokenRejectionLimiter.Accounting] = []
        for second in 0..<6 {
            let now = start.addingTimeInterval(Double(second))
            #expect(limiter.admit("10.0.0.9", now: now) == .verify)
            accounting.append(
                limiter.rejected("10.0.0.9", reason: second < 4 ? "token_malformed" : "token_expired", now: now))
        }
        #expect(accounting == [.auditNow, .auditNow, .auditNow, .summarize, .summarize, .summarize])
        #expect(limiter.admit("10.0.0.9", now: start.addingTimeInterval(10)) == .throttle(retryAfter: 50))
        #expect(limiter.admit("10.0.0.9", now: start.addingTimeInterval(20)) == .throttle(retryAfter: 40))
        #expect(limiter.admit("10.0.0.8", now: start.addingTimeInterval(20)) == .verify, "other sources are not held")

        #expect(limiter.closeWindows(now: start.addingTimeInterval(59)).isEmpty, "the window is still open")
        let summaries = limiter.closeWindows(now: start.addingTimeInterval(60))
        #expect(
            summaries == [
                .init(
                    source: "10.0.0.9", windowStart: start, rejections: ["token_malformed": 4, "token_expired": 2],
                    audited: 3, throttled: 2)
            ])
        #expect(limiter.admit("10.0.0.9", now: start.addingTimeInterval(61)) == .verify, "a new window starts afresh")
    }

    @Test("a source whose rejections were all audited needs no summary; shutdown closes every window")
    func summariesOnlyWhenSomethingWasLeftOut() {
        let limiter = TokenRejectionLimiter(policy: Self.policy)
        let now = Date()
        _ = limiter.rejected("a", reason: "token_expired", now: now)
        for _ in 0..<5 { _ = limiter.rejected("b", reason: "token_expired", now: now) }
        let summaries = limiter.closeWindows(now: now, everything: true)
        #expect(summaries.map(\.source) == ["b"])
        #expect(summaries.first?.rejections == ["token_expired": 5])
        #expect(limiter.closeWindows(now: now, everything: true).isEmpty)
    }

    @Test("the number of sources tracked is bounded: the oldest windows are summarized early")
    func boundedSources() {
        var policy = Self.policy
        policy.maxSources = 2
        let limiter = TokenRejectionLimiter(policy: policy)
        let start = Date()
        for (index, source) in ["a", "b", "c", "d"].enumerated() {
            for _ in 0..<4 {
                _ = limiter.rejected(source, reason: "token_malformed", now: start.addingTimeInterval(Double(index)))
            }
        }
        let early = limiter.closeWindows(now: start.addingTimeInterval(5))
        #expect(early.map(\.source) == ["a", "b"])
    }
}

import Foundation
import Testing

@testable import Broker

/// Anyone may start a SAML login, so the table of pending logins is the first thing a hostile caller fills.
@Suite("SAML login flow floods")
struct SAMLLoginFlowFloodTests {
    @Test("an address starting SAML logins in a loop pushes out its own flows, never a login someone else began")
    func flowTableFlood() throws {
        let flows = SAMLLoginFlows()
        let now = Date()
        let (victim, _) = flows.begin(
            provider: "corp", requestID: "_victim", purpose: .client, source: "192.0.2.10", now: now)
        for attempt in 0..<(SAMLLoginFlows.capacity + 64) {
            _ = flows.begin(
                provider: "corp", requestID: "_flood\(attempt)", purpose: .client, source: "203.0.113.66",
                now: now.addingTimeInterval(Double(attempt) / 1_000))
        }
        #expect(flows.count == SAMLLoginFlows.capacity)
        let claimed = try #require(flows.claim(victim.id, now: now.addingTimeInterval(5)))
        #expect(claimed.requestID == "_victim")
    }
}

import Foundation
import Testing

@testable import Local

@Suite("Device flow polling (RFC 8628)")
struct DeviceTokenPollerTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test("the interval defaults to 5 seconds and applies before the first poll")
    func defaultInterval() {
        let poller = DeviceTokenPoller(interval: nil, expiresIn: 600, start: self.start)
        #expect(poller.firstPoll(now: self.start) == .wait(seconds: 5))
    }

    @Test("authorization_pending keeps the interval; slow_down adds 5 seconds each time")
    func pendingAndSlowDown() {
        var poller = DeviceTokenPoller(interval: 2, expiresIn: 600, start: self.start)
        #expect(poller.next(after: .pending, now: self.start) == .wait(seconds: 2))
        #expect(poller.next(after: .slowDown, now: self.start) == .wait(seconds: 7))
        #expect(poller.next(after: .pending, now: self.start) == .wait(seconds: 7))
        #expect(poller.next(after: .slowDown, now: self.start) == .wait(seconds: 12))
        #expect(poller.interval == 12)
    }

    @Test("network failures back off exponentially, capped")
    func backOff() {
        var poller = DeviceTokenPoller(interval: 20, expiresIn: 6000, start: self.start)
        #expect(poller.next(after: .unreachable, now: self.start) == .wait(seconds: 40))
        #expect(poller.next(after: .unreachable, now: self.start) == .wait(seconds: 60))
        #expect(poller.next(after: .unreachable, now: self.start) == .wait(seconds: 60))
    }

    @Test("denial and expiry end the login with precise errors")
    func terminalOutcomes() throws {
        var poller = DeviceTokenPoller(interval: 5, expiresIn: 600, start: self.start)
        guard case .fail(let denied) = poller.next(after: .denied, now: self.start) else {
            Issue.record("access_denied must end polling")
            return
        }
        #expect(denied.kind == .loginDenied)
        guard case .fail(let expired) = poller.next(after: .expired, now: self.start) else {
            Issue.record("expired_token must end polling")
            return
        }
        #expect(expired.kind == .loginTimedOut)
        guard case .fail(let other) = poller.next(after: .failed("invalid_client: unknown"), now: self.start) else {
            Issue.record("other OAuth errors must end polling")
            return
        }
        #expect(other.kind == .identityProvider)
        #expect(other.message.contains("invalid_client: unknown"))
    }

    @Test("polling stops when the next poll would come after the code expires")
    func deadline() {
        var poller = DeviceTokenPoller(interval: 5, expiresIn: 30, start: self.start)
        #expect(poller.next(after: .pending, now: self.start.addingTimeInterval(24)) == .wait(seconds: 5))
        #expect(poller.next(after: .pending, now: self.start.addingTimeInterval(25)) == .fail(.deviceCodeExpired))
    }

    @Test("OAuth error codes are classified as RFC 8628 §3.5 defines them")
    func classification() {
        typealias Outcome = DeviceTokenPoller.Outcome
        #expect(Outcome(errorCode: "authorization_pending", description: nil) == .pending)
        #expect(Outcome(errorCode: "slow_down", description: nil) == .slowDown)
        #expect(Outcome(errorCode: "access_denied", description: "no") == .denied)
        #expect(Outcome(errorCode: "expired_token", description: nil) == .expired)
        #expect(Outcome(errorCode: "invalid_grant", description: "bad code") == .failed("invalid_grant: bad code"))
        #expect(Outcome(errorCode: "invalid_grant", description: nil) == .failed("invalid_grant"))
    }
}

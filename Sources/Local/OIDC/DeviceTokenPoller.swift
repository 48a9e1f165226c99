package import Foundation

/// The polling rules of the RFC 8628 device flow as a value-type state machine: it is told what the token endpoint
/// answered and says how long to wait before the next poll, or why to give up. The client only performs the waits
/// and the requests, so the rules are testable without a provider or a clock.
package struct DeviceTokenPoller: Sendable {
    /// What one poll of the token endpoint produced, short of a token.
    package enum Outcome: Sendable, Equatable {
        /// `authorization_pending`: the user has not finished yet.
        case pending
        /// `slow_down`: polling too fast.
        case slowDown
        /// `access_denied`: the user refused.
        case denied
        /// `expired_token`: the device code expired.
        case expired
        /// The endpoint could not be reached or did not answer in time.
        case unreachable
        /// Any other OAuth error, described.
        case failed(String)

        /// Classifies an OAuth error code from the token endpoint (RFC 8628 §3.5).
        package init(errorCode: String, description: String?) {
            switch errorCode {
            case "authorization_pending":
                self = .pending
            case "slow_down":
                self = .slowDown
            case "access_denied":
                self = .denied
            case "expired_token":
                self = .expired
            default:
                self = .failed(description.map { "\(errorCode): \($0)" } ?? errorCode)
            }
        }
    }

    package enum Action: Sendable, Equatable {
        case wait(seconds: Int)
        case fail(LocalError)
    }

    /// RFC 8628 §3.2: the interval to use when the provider names none.
    package static let defaultInterval = 5
    /// RFC 8628 §3.5: what `slow_down` adds to the interval.
    package static let slowDownIncrement = 5
    /// Ceiling for the back-off after network failures.
    package static let maximumInterval = 60

    /// Current seconds between polls.
    package private(set) var interval: Int
    private let deadline: Date

    package init(interval: Int?, expiresIn: Int, start: Date) {
        self.interval = max(interval ?? Self.defaultInterval, 1)
        self.deadline = start.addingTimeInterval(TimeInterval(expiresIn))
    }

    /// The wait before the first poll: the provider's interval applies from the start.
    package func firstPoll(now: Date) -> Action {
        self.waitOrExpire(now: now)
    }

    /// What to do after a poll that produced `outcome` at `now`.
    package mutating func next(after outcome: Outcome, now: Date) -> Action {
        switch outcome {
        case .pending:
            return self.waitOrExpire(now: now)
        case .slowDown:
            self.interval += Self.slowDownIncrement
            return self.waitOrExpire(now: now)
        case .unreachable:
            // RFC 8628 §3.5 asks for exponential back-off on connection timeouts.
            self.interval = min(self.interval * 2, Self.maximumInterval)
            return self.waitOrExpire(now: now)
        case .denied:
            return .fail(
                LocalError(
                    .loginDenied,
                    "the login was denied at the identity provider",
                    hint: "run `hoopctl login` again and approve the request"
                )
            )
        case .expired:
            return .fail(.deviceCodeExpired)
        case .failed(let description):
            return .fail(
                LocalError(
                    .identityProvider,
                    "the identity provider refused the login: \(description)",
                    hint: "run `hoopctl login` again; if it keeps failing, ask the provider's administrator"
                )
            )
        }
    }

    private func waitOrExpire(now: Date) -> Action {
        guard now.addingTimeInterval(TimeInterval(self.interval)) < self.deadline else {
            return .fail(.deviceCodeExpired)
        }
        return .wait(seconds: self.interval)
    }
}

extension LocalError {
    static let deviceCodeExpired = LocalError(
        .loginTimedOut,
        "the login code expired before it was approved",
        hint: "run `hoopctl login` again and approve the request in time"
    )
}

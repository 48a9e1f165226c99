import Crypto
import Foundation
import HoopCore
import Synchronization

/// SAML logins between the AuthnRequest the broker sent and the token `hoopctl` collects. The browser carries only
/// the flow id (as RelayState); collecting the token needs the poll secret, which only the client that began the
/// flow holds, and the confirmation code the broker shows in the browser that finished the login: a client that
/// sends someone else its login link (phishing) has the secret but never sees the code. Only digests are kept. Bounded in number and in time, so unauthenticated callers cannot
/// grow it; a full table gives up the oldest flow of the source address holding the most, so a caller starting
/// logins in a loop pushes out its own flows, not the logins other people are in the middle of.
final class SAMLLoginFlows: Sendable {
    /// Where a verified login goes: back to a polling `hoopctl`, or into a browser session for a page.
    enum Purpose: Sendable, Equatable {
        case client
        /// `browser` is the digest of the secret in the browser's SAML login cookie: the response must come back
        /// through the same browser (no login CSRF).
        case webPage(next: String, browser: SHA256Digest)
    }

    enum State: Sendable {
        case pending
        /// The IdP's answer arrived and is being checked; a poll still hears "pending".
        case verifying
        /// Verified; the token waits for the browser's code, with this many wrong tries left.
        case verified(IssuedLoginToken, code: SHA256Digest, triesLeft: Int)
        case refused(BrokerError)
    }

    /// What a poll learns.
    enum PollAnswer: Sendable {
        case pending
        case needsCode
        case token(IssuedLoginToken)
    }

    /// Wrong confirmation codes a flow survives; the next one voids it.
    static let codeTries = 5

    struct Flow: Sendable {
        var id: String
        var provider: String
        /// The AuthnRequest's id; the response must be `InResponseTo` it.
        var requestID: String
        var purpose: Purpose
        /// The address that started it: a full table drops the flows of the address holding the most.
        var source: String
        fileprivate var pollSecretDigest: SHA256Digest
        var expiresAt: Date
        var state: State
    }

    /// How long a person has to finish logging in at the IdP.
    static let lifetime: TimeInterval = 600
    /// Pending flows kept at most; the oldest is dropped first.
    static let capacity = 4_096

    private let flows = Mutex<[String: Flow]>([:])

    /// A new pending flow started by `source` (the caller's address), and its poll secret.
    func begin(provider: String, requestID: String, purpose: Purpose, source: String, now: Date = Date())
        -> (Flow, String)
    {
        let secret = RandomSecret.random()
        let flow = Flow(
            id: RandomSecret.random(), provider: provider, requestID: requestID, purpose: purpose, source: source,
            pollSecretDigest: SHA256.hash(data: Array(secret.utf8)),
            expiresAt: now.addingTimeInterval(Self.lifetime), state: .pending)
        flows.withLock { flows in
            flows = flows.filter { $0.value.expiresAt > now }
            if flows.count >= Self.capacity {
                let heaviest = Dictionary(grouping: flows.values, by: \.source).max { $0.value.count < $1.value.count }
                if let oldest = heaviest?.value.min(by: { $0.expiresAt < $1.expiresAt }) { flows[oldest.id] = nil }
            }
            flows[flow.id] = flow
        }
        return (flow, secret)
    }

    /// How many flows are held (tests check the bound).
    var count: Int { flows.withLock { $0.count } }

    /// The pending flow a RelayState names, taken out of the pending state so a second response for the same flow
    /// finds nothing to complete.
    func claim(_ id: String, now: Date = Date()) -> Flow? {
        flows.withLock { flows in
            guard let flow = flows[id], flow.expiresAt > now, case .pending = flow.state else { return nil }
            flows[id]?.state = .verifying
            return flow
        }
    }

    /// Records how a claimed flow ended. Web-page flows end at the ACS and are forgotten there.
    func finish(_ id: String, _ state: State) {
        flows.withLock { flows in
            guard let flow = flows[id] else { return }
            if flow.purpose == .client {
                flows[id]?.state = state
            } else {
                flows[id] = nil
            }
        }
    }

    /// A client flow's progress for the holder of its poll secret. Once verified, the token is handed out for the
    /// browser's code, once; wrong codes use up the flow's tries, and a refusal is thrown (once).
    func poll(_ id: String, secret: String, code: String?, now: Date = Date()) throws(BrokerError) -> PollAnswer {
        // swift-crypto compares digests in constant time.
        let digest = SHA256.hash(data: Array(secret.utf8))
        return try flows.withLock { flows throws(BrokerError) -> PollAnswer in
            guard let flow = flows[id], flow.expiresAt > now, flow.purpose == .client,
                flow.pollSecretDigest == digest
            else {
                throw BrokerError(
                    .unauthenticated, code: "saml_login_unknown",
                    message: "no SAML login with that flow and secret is pending (it may have expired)",
                    hint: "run `hoopctl login --saml` again")
            }
            switch flow.state {
            case .pending, .verifying:
                return .pending
            case .refused(let error):
                flows[id] = nil
                throw error
            case .verified(let token, let expected, let triesLeft):
                guard let code else { return .needsCode }
                if SHA256.hash(data: Array(Self.normalized(code).utf8)) == expected {
                    flows[id] = nil
                    return .token(token)
                }
                guard triesLeft > 1 else {
                    flows[id] = nil
                    throw BrokerError(
                        .unauthenticated, code: "saml_code_wrong",
                        message: "wrong confirmation code; the login is void after \(Self.codeTries) wrong codes",
                        hint: "run `hoopctl login --saml` again")
                }
                flows[id]?.state = .verified(token, code: expected, triesLeft: triesLeft - 1)
                throw BrokerError(
                    .unauthenticated, code: "saml_code_wrong",
                    message: "wrong confirmation code (\(triesLeft - 1) tries left)",
                    hint: "type the code the browser shows after the login")
            }
        }
    }

    /// A new confirmation code as shown (`BCDF-GHJK`) and its digest. Consonants only, so it spells no words and
    /// reads unambiguously; 20^8 codes against five tries.
    static func confirmationCode() -> (shown: String, digest: SHA256Digest) {
        let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        let code = String(letters)
        return (String(code.prefix(4)) + "-" + String(code.suffix(4)), SHA256.hash(data: Array(code.utf8)))
    }

    /// A typed code as compared: letters upper-cased, separators and spaces dropped.
    static func normalized(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter })
    }
}

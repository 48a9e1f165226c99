import Crypto
import Foundation
import HoopCore
import Hummingbird
import Logging
import Metrics
import Synchronization

/// Turns a request's bearer token into a principal, auditing every refusal (with its precise reason) and the first
/// use of each accepted token — the broker's view of a login.
final class Authenticator: Sendable {
    private let verifier: TokenVerifier
    private let audit: AuditLog
    private let seenTokens = Mutex<Set<String>>([])

    init(verifier: TokenVerifier, audit: AuditLog) {
        self.verifier = verifier
        self.audit = audit
    }

    func principal(for request: Request) async throws -> Principal {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthenticated(.missing))
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthenticated(.malformed("the Authorization header is not a Bearer token")))
        }
        return try await principal(forToken: String(parts[1]))
    }

    func principal(forToken token: String) async throws -> Principal {
        do {
            let principal = try await verifier.verify(token)
            try await auditFirstUse(of: token, by: principal)
            return principal
        } catch let rejection as TokenRejection {
            Counter(label: "hoop_tokens_rejected_total", dimensions: [("reason", rejection.code)]).increment()
            do {
                try await audit.record(
                    AuditDraft(
                        actor: "anonymous",
                        action: .tokenRejected,
                        decision: .deny,
                        details: ["reason": .string(rejection.code), "message": .string(rejection.description)]
                    )
                )
            } catch {
                throw APIError(.auditUnavailable(error))
            }
            throw APIError(.unauthenticated(rejection))
        }
    }

    private func auditFirstUse(of token: String, by principal: Principal) async throws {
        let digest = SHA256.hash(data: Array(token.utf8)).hexString
        let isNew = seenTokens.withLock { seen in
            if seen.count > 50_000 { seen.removeAll() }
            return seen.insert(digest).inserted
        }
        guard isNew else { return }
        do {
            try await audit.record(
                AuditDraft(
                    actor: principal.displayName,
                    action: .tokenAccepted,
                    decision: .allow,
                    details: [
                        "issuer": .string(principal.issuer), "subject": .string(principal.subject),
                        "groups": .array(principal.groups.map { .string($0) }),
                        "token_sha256": .string(String(digest.prefix(16))),
                    ]
                )
            )
        } catch {
            seenTokens.withLock { _ = $0.remove(digest) }
            throw APIError(.auditUnavailable(error))
        }
    }
}

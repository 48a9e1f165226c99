import Crypto
import Foundation
import HoopCore
import Hummingbird
import Logging
import Metrics
import Synchronization

/// Turns a request's bearer token into a principal, auditing refusals (with their precise reason) and the first
/// use of each accepted token — the broker's view of a login. Refusals are held to account per source address by
/// a `TokenRejectionLimiter`: the first few are audited one by one, the rest summarized, and a source that keeps
/// sending bad tokens is throttled before its tokens are verified.
final class Authenticator: Sendable {
    private let verifier: TokenVerifier
    private let audit: AuditLog
    private let limiter: TokenRejectionLimiter
    private let seenTokens = Mutex<Set<String>>([])

    init(verifier: TokenVerifier, audit: AuditLog, limiter: TokenRejectionLimiter = TokenRejectionLimiter()) {
        self.verifier = verifier
        self.audit = audit
        self.limiter = limiter
    }

    func principal(for request: Request, context: BrokerRequestContext) async throws -> Principal {
        let source = context.sourceAddress
        if case .throttle(let retryAfter) = limiter.admit(source) {
            Counter(label: "hoop_tokens_throttled_total").increment()
            throw APIError(
                BrokerError(
                    .rateLimited, code: "too_many_rejected_tokens",
                    message: "too many requests with rejected tokens from \(source)",
                    hint: "log in again (`hoopctl login`); retry in \(Int(retryAfter.rounded(.up)))s"))
        }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthenticated(.missing))
        }
        guard let token = Self.bearerToken(in: header) else {
            throw try await rejected(.malformed("the Authorization header is not a Bearer token"), from: source)
        }
        return try await principal(forToken: token, from: source)
    }

    /// The token of an `Authorization: Bearer <token>` header (the scheme in any case), or nil for anything else.
    static func bearerToken(in header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
    }

    func principal(forToken token: String, from source: String) async throws -> Principal {
        do {
            let principal = try await verifier.verify(token)
            try await auditFirstUse(of: token, by: principal)
            return principal
        } catch let rejection as TokenRejection {
            throw try await rejected(rejection, from: source)
        }
    }

    /// Counts a refusal and audits it now or in the source's summary; the error to answer with.
    private func rejected(_ rejection: TokenRejection, from source: String) async throws -> APIError {
        Counter(label: "hoop_tokens_rejected_total", dimensions: [("reason", rejection.code)]).increment()
        guard limiter.rejected(source, reason: rejection.code) == .auditNow else {
            return APIError(.unauthenticated(rejection))
        }
        do {
            try await audit.record(
                AuditDraft(
                    actor: "anonymous",
                    action: .tokenRejected,
                    decision: .deny,
                    details: [
                        "reason": .string(rejection.code), "message": .string(rejection.description),
                        "source": .string(source),
                    ]
                )
            )
        } catch {
            throw APIError(.auditUnavailable(error))
        }
        return APIError(.unauthenticated(rejection))
    }

    /// Writes the summaries of rejection windows that ended (all of them with `everything`, at shutdown).
    func recordRejectionSummaries(everything: Bool = false) async {
        for summary in limiter.closeWindows(everything: everything) {
            // A store that cannot take the summary has logged why; the counts stay in the metrics.
            _ = try? await audit.record(
                AuditDraft(
                    actor: "anonymous",
                    action: .tokenRejectionsSummarized,
                    decision: .deny,
                    details: [
                        "source": .string(summary.source),
                        "window_start": .string(Timestamp.format(summary.windowStart)),
                        "rejections": .object(summary.rejections.mapValues { .int(Int64($0)) }),
                        "audited_individually": .int(Int64(summary.audited)),
                        "throttled": .int(Int64(summary.throttled)),
                    ]
                )
            )
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

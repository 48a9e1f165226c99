import Crypto
import Foundation
import HoopCore
import Logging
import SAML

/// SAML logins from start to token: builds the AuthnRequest, checks the IdP's answer at the ACS endpoint with the
/// `SAML` library's verifier (against that flow's request id, the provider's metadata certificates and a replay
/// cache), turns the assertion into a principal, and mints the broker's own token for it. Every outcome at the ACS
/// is audited — refusals through the same per-source limiter as rejected bearer tokens, so a flood of forged
/// responses is summarized and throttled rather than written one by one.
final class SAMLLogin: Sendable {
    /// Everything the broker keeps for one configured provider.
    struct Provider: Sendable {
        var config: SAMLProviderConfig
        var metadata: SAMLMetadataSource
        var replayCache: SAMLReplayCache
        var serviceProvider: SAMLServiceProvider {
            SAMLServiceProvider(
                entityID: config.entityID, assertionConsumerServiceURL: config.assertionConsumerServiceURL)
        }
    }

    /// How a response at the ACS ended.
    enum Outcome: Sendable {
        /// A `hoopctl login` will collect its token by polling, with the code the browser is shown.
        case client(Principal, code: String)
        /// A browser logging in to a page goes on to `next`.
        case webPage(Principal, next: String)
        case refused(BrokerError)
    }

    private let providers: [String: Provider]
    private let order: [String]
    private let flows = SAMLLoginFlows()
    private let tokens: LoginTokenIssuer
    private let audit: AuditLog
    private let limiter: TokenRejectionLimiter

    /// Seconds between a client's polls.
    static let pollInterval = 2

    /// The OIDC issuers the broker trusts: a SAML IdP may speak for people under one of these names only when the
    /// operator pinned it (`idp_entity_id`), as for one IdP reached both ways.
    private let oidcIssuers: Set<String>

    init(
        configs: [SAMLProviderConfig], oidcIssuers: Set<String> = [], tokens: LoginTokenIssuer, audit: AuditLog,
        limiter: TokenRejectionLimiter, logger: Logger
    ) {
        self.oidcIssuers = oidcIssuers
        var providers: [String: Provider] = [:]
        for config in configs {
            providers[config.name] = Provider(
                config: config, metadata: SAMLMetadataSource(config: config, logger: logger),
                replayCache: SAMLReplayCache())
        }
        self.providers = providers
        self.order = configs.map(\.name)
        self.tokens = tokens
        self.audit = audit
        self.limiter = limiter
    }

    var providerNames: [String] { order }

    /// The provider a name picks; with no name, the only one there is.
    func provider(named name: String?) throws(BrokerError) -> Provider {
        let known = order.joined(separator: ", ")
        guard let name else {
            guard order.count == 1, let only = providers[order[0]] else {
                throw BrokerError(
                    .badRequest, code: "saml_provider_ambiguous",
                    message: order.isEmpty
                        ? "this broker trusts no SAML identity provider"
                        : "this broker trusts several SAML identity providers: \(known)",
                    hint: order.isEmpty ? nil : "name one with `hoopctl login --saml NAME`")
            }
            return only
        }
        guard let provider = providers[name] else {
            throw BrokerError(
                .notFound, code: "saml_provider_unknown",
                message: "this broker trusts no SAML identity provider named \(name)",
                hint: order.isEmpty ? nil : "choose one of: \(known)")
        }
        return provider
    }

    /// Begins a login for `source` (the caller's address): a pending flow and the IdP URL (an HTTP-Redirect
    /// binding AuthnRequest) that answers it.
    func start(provider name: String?, purpose: SAMLLoginFlows.Purpose, source: String, now: Date = Date())
        async throws(BrokerError) -> SAMLLoginStart
    {
        let provider = try self.provider(named: name)
        let identityProvider = try await self.identityProvider(of: provider, now: now)
        let request = SAMLAuthnRequest(sp: provider.serviceProvider, idp: identityProvider, now: now)
        let (flow, secret) = flows.begin(
            provider: provider.config.name, requestID: request.id, purpose: purpose, source: source, now: now)
        return SAMLLoginStart(
            flow: flow.id, pollSecret: secret, loginURL: request.redirectURL(relayState: flow.id).absoluteString,
            expiresIn: Int(SAMLLoginFlows.lifetime), interval: Self.pollInterval)
    }

    /// Checks a response posted to the ACS and settles its flow. `source` is the browser's address, for the audit
    /// and the limiter; `browserBinding` the SAML login cookie it carried, which a page login must match.
    func consume(response: String, relayState: String, browserBinding: String?, source: String, now: Date = Date())
        async -> Outcome
    {
        if case .throttle(let retryAfter) = limiter.admit(source, now: now) {
            return .refused(
                BrokerError(
                    .rateLimited, code: "too_many_rejected_logins",
                    message: "too many refused logins from \(source); retry in \(Int(retryAfter.rounded(.up)))s"))
        }
        guard let flow = flows.claim(relayState, now: now), let provider = providers[flow.provider] else {
            return await refused(
                code: "saml_flow_unknown",
                message: "this response answers no login the broker is waiting for (unknown or expired RelayState, "
                    + "or a response the IdP sent unasked)",
                provider: nil, source: source)
        }
        if case .webPage(_, let browser) = flow.purpose,
            browserBinding.map({ SHA256.hash(data: Array($0.utf8)) }) != browser
        {
            flows.finish(flow.id, .pending)
            return await refused(
                code: "saml_browser_mismatch",
                message: "this response came back through another browser than the one that began the login",
                provider: provider.config.name, source: source)
        }
        let principal: Principal
        let assertion: SAMLAssertion
        do {
            let identityProvider = try await self.identityProvider(of: provider, now: now)
            let verifier = SAMLResponseVerifier(
                sp: provider.serviceProvider, idp: identityProvider, clockSkew: provider.config.clockSkew,
                replayCache: provider.replayCache)
            assertion = try verifier.verify(base64Response: response, expectedRequestID: flow.requestID, now: now)
            principal = Self.principal(from: assertion, config: provider.config)
        } catch let rejection as SAMLRejection {
            flows.finish(flow.id, .refused(Self.error(rejection)))
            return await refused(
                code: rejection.code, message: rejection.description, provider: provider.config.name, source: source)
        } catch let error as BrokerError {
            flows.finish(flow.id, .refused(error))
            return .refused(error)
        } catch {
            let failure = BrokerError(.internalFailure, code: "saml_login_failed", message: "\(error)")
            flows.finish(flow.id, .refused(failure))
            return .refused(failure)
        }
        do {
            try await audit.record(
                AuditDraft(
                    actor: principal.displayName, action: .samlLogin, decision: .allow,
                    details: [
                        "provider": .string(provider.config.name), "issuer": .string(principal.issuer),
                        "subject": .string(principal.subject), "groups": .array(principal.groups.map { .string($0) }),
                        "assertion_id": .string(assertion.assertionID), "source": .string(source),
                        "interface": .string(flow.purpose == .client ? "cli" : "web"),
                    ]))
        } catch {
            let failure = BrokerError.auditUnavailable(error)
            flows.finish(flow.id, .refused(failure))
            return .refused(failure)
        }
        if case .webPage(let next, _) = flow.purpose {
            flows.finish(flow.id, .pending)
            return .webPage(principal, next: next)
        }
        do {
            let token = try await tokens.issue(
                for: principal, provider: provider.config.name, lifetime: provider.config.tokenLifetime, now: now)
            let code = SAMLLoginFlows.confirmationCode()
            flows.finish(flow.id, .verified(token, code: code.digest, triesLeft: SAMLLoginFlows.codeTries))
            return .client(principal, code: code.shown)
        } catch {
            let failure = BrokerError(
                .internalFailure, code: "login_token_unsigned", message: "the broker could not sign a token: \(error)")
            flows.finish(flow.id, .refused(failure))
            return .refused(failure)
        }
    }

    /// The provider's IdP as its metadata describes it now, refused when its entity id, the issuer its people are
    /// known by, is another provider's: metadata that claims an OIDC issuer's URL or another SAML IdP's entity id
    /// (a partner's IdP, or a swapped `metadata_url`) would make its users those people.
    private func identityProvider(of provider: Provider, now: Date) async throws(BrokerError) -> SAMLIdentityProvider {
        let identityProvider = try await provider.metadata.identityProvider(now: now)
        let entityID = identityProvider.entityID
        var claimedBy: String?
        if oidcIssuers.contains(entityID), provider.config.identityProviderEntityID != entityID {
            claimedBy = "the OIDC issuer \(entityID)"
        }
        for other in providers.values where other.config.name != provider.config.name {
            let pinned = other.config.identityProviderEntityID
            if let pinned, pinned == entityID {
                claimedBy = "SAML provider \(other.config.name)"
            } else if pinned == nil, await other.metadata.loadedEntityID == entityID {
                claimedBy = "SAML provider \(other.config.name)"
            }
        }
        if let claimedBy {
            throw BrokerError(
                .unavailable, code: "saml_issuer_taken",
                message: "SAML provider \(provider.config.name)'s metadata names the IdP \(entityID), which is "
                    + "\(claimedBy): its people would become that provider's people",
                hint:
                    "ask the broker's operator to check the metadata, or pin idp_entity_id for one IdP reached both ways"
            )
        }
        return identityProvider
    }

    /// A client's poll: pending, waiting for the browser's code, or the token once.
    func poll(_ request: SAMLTokenRequest, now: Date = Date()) throws(BrokerError) -> SAMLTokenResponse {
        switch try flows.poll(request.flow, secret: request.pollSecret, code: request.code, now: now) {
        case .pending:
            return SAMLTokenResponse(status: .pending)
        case .needsCode:
            return SAMLTokenResponse(status: .confirm)
        case .token(let token):
            return SAMLTokenResponse(status: .complete, accessToken: token.token, expiresAt: token.expiresAt)
        }
    }

    static func principal(from assertion: SAMLAssertion, config: SAMLProviderConfig) -> Principal {
        Principal(
            issuer: assertion.issuer, subject: assertion.nameID,
            email: assertion.attributes[config.emailAttribute]?.first,
            groups: assertion.attributes[config.groupsAttribute] ?? [])
    }

    static func error(_ rejection: SAMLRejection) -> BrokerError {
        BrokerError(
            .unauthenticated, code: rejection.code, message: "the SAML response was refused: \(rejection.description)",
            hint: "log in again; if it keeps failing, the broker's audit log has the reason")
    }

    private func refused(code: String, message: String, provider: String?, source: String) async -> Outcome {
        let error = BrokerError(.unauthenticated, code: code, message: message)
        guard limiter.rejected(source, reason: code) == .auditNow else { return .refused(error) }
        var details: [String: JSONValue] = [
            "reason": .string(code), "message": .string(message), "source": .string(source),
        ]
        if let provider { details["provider"] = .string(provider) }
        do {
            try await audit.record(
                AuditDraft(actor: "anonymous", action: .samlRejected, decision: .deny, details: .object(details)))
            return .refused(error)
        } catch {
            return .refused(BrokerError.auditUnavailable(error))
        }
    }
}

import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Signing keys of one issuer: found through its discovery document, fetched from its JWKS, cached for
/// `jwksCacheTTL`, and refetched early only when a token names an unknown `kid` — at most once per
/// `jwksRefreshMinInterval`, so forged key ids cannot turn the broker into a load generator. If the issuer is
/// unreachable, keys already fetched keep working until their cache lifetime ends; after that tokens fail closed.
actor IssuerKeySource {
    private struct KeySet {
        var jwks: JWKS
        var collection: JWTKeyCollection
        var fetchedAt: Date
    }

    private struct Discovery: Decodable {
        var issuer: String
        var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case issuer
            case jwksURI = "jwks_uri"
        }
    }

    let config: IdentityProviderConfig
    private let httpClient: HTTPClient
    private let logger: Logger
    private var keySet: KeySet?
    private var lastFetchAttempt: Date?

    init(config: IdentityProviderConfig, httpClient: HTTPClient, logger: Logger) {
        self.config = config
        self.httpClient = httpClient
        self.logger = logger
    }

    /// The key named `kid` (or the only key, when the token names none) and a collection that verifies with it.
    func key(for kid: String?, now: Date) async throws(TokenRejection) -> (JWK, JWTKeyCollection) {
        if let keySet, now.timeIntervalSince(keySet.fetchedAt) < config.jwksCacheTTL {
            if let found = try select(kid, in: keySet) { return (found, keySet.collection) }
            guard canRefetch(now: now) else { throw unknown(kid) }
        }
        do {
            try await refresh(now: now)
        } catch {
            // Keys still inside their lifetime keep working while the issuer is down.
            if let keySet, now.timeIntervalSince(keySet.fetchedAt) < config.jwksCacheTTL {
                logger.warning("JWKS refresh failed; using cached keys", metadata: ["issuer": "\(config.issuer)"])
                if let found = try select(kid, in: keySet) { return (found, keySet.collection) }
                throw unknown(kid)
            }
            throw .issuerUnavailable(issuer: config.issuer, reason: "\(error)")
        }
        guard let keySet, let found = try select(kid, in: keySet) else { throw unknown(kid) }
        return (found, keySet.collection)
    }

    private func unknown(_ kid: String?) -> TokenRejection {
        kid.map { .unknownKeyID($0) } ?? .missingKeyID
    }

    private func canRefetch(now: Date) -> Bool {
        guard let lastFetchAttempt else { return true }
        return now.timeIntervalSince(lastFetchAttempt) >= config.jwksRefreshMinInterval
    }

    private func select(_ kid: String?, in keySet: KeySet) throws(TokenRejection) -> JWK? {
        guard let kid else {
            guard keySet.jwks.keys.count == 1 else { throw .missingKeyID }
            return keySet.jwks.keys.first
        }
        return keySet.jwks.keys.first { $0.keyIdentifier?.string == kid }
    }

    private func refresh(now: Date) async throws {
        lastFetchAttempt = now
        let discoveryURL = config.issuer.trimmingSuffix("/") + "/.well-known/openid-configuration"
        let discovery = try await fetchJSON(Discovery.self, from: discoveryURL)
        guard discovery.issuer == config.issuer else {
            throw IdentityFetchError(
                url: discoveryURL,
                reason: "discovery names issuer \(discovery.issuer), expected \(config.issuer)"
            )
        }
        let jwks = try await fetchJSON(JWKS.self, from: discovery.jwksURI)
        let collection = JWTKeyCollection()
        for jwk in jwks.keys where jwk.keyIdentifier != nil {
            do {
                try await collection.add(jwk: jwk)
            } catch {
                logger.warning(
                    "ignoring unusable JWK",
                    metadata: ["issuer": "\(config.issuer)", "kid": "\(jwk.keyIdentifier?.string ?? "")"]
                )
            }
        }
        keySet = KeySet(jwks: jwks, collection: collection, fetchedAt: now)
        logger.info("fetched issuer keys", metadata: ["issuer": "\(config.issuer)", "keys": "\(jwks.keys.count)"])
    }

    private func fetchJSON<Value: Decodable>(_ type: Value.Type, from url: String) async throws -> Value {
        if let problem = IdentityFetchPolicy.problem(with: url) {
            throw IdentityFetchError(url: url, reason: problem)
        }
        let request = HTTPClientRequest(url: url)
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        if (300..<400).contains(response.status.code) {
            throw IdentityFetchError(
                url: url, reason: "HTTP \(response.status.code): redirects are not followed for identity keys")
        }
        guard response.status == .ok else {
            throw IdentityFetchError(url: url, reason: "HTTP \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer: body))
        } catch {
            throw IdentityFetchError(url: url, reason: "unreadable JSON: \(error)")
        }
    }
}

/// A discovery or JWKS fetch that failed, with the URL it concerned.
struct IdentityFetchError: Error, CustomStringConvertible {
    var url: String
    var reason: String
    var description: String { "\(url): \(reason)" }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

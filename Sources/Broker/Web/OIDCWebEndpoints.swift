import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// An issuer's authorization and token endpoints, from its discovery document, fetched under the same rules as
/// its keys (`IdentityFetchPolicy`: https or loopback http, no redirects): whoever answers the token endpoint hands
/// the page its tokens, even though every token is then verified on its own.
struct OIDCWebEndpoints: Sendable, Decodable {
    var issuer: String
    var authorizationEndpoint: String
    var tokenEndpoint: String

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
    }

    static func discover(_ issuer: String, client: HTTPClient) async throws -> OIDCWebEndpoints {
        let url = issuer.trimmingSuffix("/") + "/.well-known/openid-configuration"
        let endpoints = try JSONDecoder().decode(
            OIDCWebEndpoints.self, from: try await fetch(HTTPClientRequest(url: url), client: client))
        guard endpoints.issuer == issuer else {
            throw IdentityFetchError(url: url, reason: "discovery names issuer \(endpoints.issuer), expected \(issuer)")
        }
        for endpoint in [endpoints.authorizationEndpoint, endpoints.tokenEndpoint] {
            if let problem = IdentityFetchPolicy.problem(with: endpoint) {
                throw IdentityFetchError(url: endpoint, reason: problem)
            }
        }
        return endpoints
    }

    /// The token endpoint's answer to an authorization code (RFC 6749 §4.1.4, OIDC Core §3.1.3.3).
    struct Tokens: Decodable {
        var accessToken: String
        var idToken: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case idToken = "id_token"
        }
    }

    /// Redeems `code` for tokens as a public client proving possession of the PKCE verifier.
    func redeem(code: String, clientID: String, redirectURI: String, verifier: String, client: HTTPClient)
        async throws -> Tokens
    {
        var request = HTTPClientRequest(url: tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = WebQuery.string([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("client_id", clientID), ("code_verifier", verifier),
        ])
        request.body = .bytes(ByteBuffer(string: form))
        return try JSONDecoder().decode(Tokens.self, from: try await Self.fetch(request, client: client))
    }

    private static func fetch(_ request: HTTPClientRequest, client: HTTPClient) async throws -> Data {
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw IdentityFetchError(
                url: request.url, reason: "HTTP \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        return Data(buffer: body)
    }
}

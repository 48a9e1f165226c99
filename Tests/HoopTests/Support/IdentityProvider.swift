import AsyncHTTPClient
import Foundation
import HoopCore
import NIOCore
import NIOFoundationCompat

/// The test OIDC provider (`testing/idp/idp.py`) as a real process on a free loopback port, with its test-control
/// endpoints: register clients with chosen groups and audience, approve device codes, mint hostile tokens, rotate
/// keys, and count JWKS fetches.
final class IdentityProvider: Sendable {
    let issuer: String
    let port: Int
    private let process: ChildProcess

    init(deviceInterval: Int = 1) async throws {
        port = try TestEnvironment.freePort()
        issuer = "http://127.0.0.1:\(port)"
        process = try ChildProcess(
            "idp",
            executable: "/usr/bin/env",
            arguments: [
                "python3", TestEnvironment.repositoryRoot.appendingPathComponent("testing/idp/idp.py").path,
                "--port", String(port), "--device-interval", String(deviceInterval),
            ]
        )
        // A Python process importing Flask and Authlib: slow to start on a loaded 2-core machine.
        try await process.waitForOutput("idp ready", timeout: .seconds(90))
    }

    func stop() async {
        await process.stop()
    }

    /// Runs `body` with a fresh provider and stops it afterwards, whatever happens.
    static func with<Result>(
        deviceInterval: Int = 1,
        _ body: (IdentityProvider) async throws -> Result
    ) async throws -> Result {
        let provider = try await IdentityProvider(deviceInterval: deviceInterval)
        do {
            let result = try await body(provider)
            await provider.stop()
            return result
        } catch {
            await provider.stop()
            throw error
        }
    }

    /// Registers (or replaces) a client and returns its secret.
    @discardableResult
    func addClient(
        _ id: String,
        secret: String? = nil,
        groups: [String],
        audience: String = "hoop",
        subject: String? = nil,
        email: String? = nil,
        alg: String = "RS256",
        ttl: Int = 3600
    ) async throws -> String? {
        var body: [String: JSONValue] = [
            "client_id": .string(id), "groups": .array(groups.map { .string($0) }),
            "audience": .string(audience), "alg": .string(alg), "access_token_ttl": .int(Int64(ttl)),
        ]
        if let secret { body["client_secret"] = .string(secret) }
        if let subject { body["subject"] = .string(subject) }
        if let email { body["email"] = .string(email) }
        _ = try await post("/test/clients", .object(body))
        return secret
    }

    /// Registers a public client for browser logins (authorization code + PKCE) redirecting to `redirectURIs`.
    func addWebClient(_ id: String, redirectURIs: [String], audience: String = "hoop") async throws {
        _ = try await post(
            "/test/clients",
            [
                "client_id": .string(id), "audience": .string(audience),
                "redirect_uris": .array(redirectURIs.map { .string($0) }),
            ])
    }

    /// A token from the client credentials grant.
    func clientCredentialsToken(_ id: String, secret: String) async throws -> String {
        var request = HTTPClientRequest(url: issuer + "/oauth/token")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        let form = "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)"
        request.body = .bytes(ByteBuffer(string: form))
        let answer = try await send(request)
        guard let token = answer["access_token"]?.stringValue else { throw PeerError("no token: \(answer)") }
        return token
    }

    func approveDevice(userCode: String, subject: String, email: String?, groups: [String]) async throws {
        _ = try await post(
            "/test/device/approve",
            [
                "user_code": .string(userCode), "subject": .string(subject), "email": JSONValue(email),
                "groups": .array(groups.map { .string($0) }),
            ]
        )
    }

    func slowDown(count: Int) async throws {
        _ = try await post("/test/device/slow_down", ["count": .int(Int64(count))])
    }

    /// Mints a token with arbitrary claims; `alg` may be a hostile mode (`none`, `HS256-with-rsa-public-key`,
    /// `unknown-kid`).
    func mint(claims: JSONValue, alg: String = "RS256", tamper: Bool = false) async throws -> String {
        let answer = try await post(
            "/test/mint",
            ["claims": claims, "alg": .string(alg), "tamper": .bool(tamper)]
        )
        guard let token = answer["token"]?.stringValue else { throw PeerError("no token: \(answer)") }
        return token
    }

    @discardableResult
    func rotate(alg: String = "RS256") async throws -> String {
        let answer = try await post("/test/rotate", ["alg": .string(alg)])
        return answer["kid"]?.stringValue ?? ""
    }

    func jwksFetches() async throws -> Int64 {
        let answer = try await send(HTTPClientRequest(url: issuer + "/test/stats"))
        return answer["jwks_fetches"]?.intValue ?? -1
    }

    private func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        var request = HTTPClientRequest(url: issuer + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: CanonicalJSON.encode(body)))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw PeerError("\(request.url) answered \(response.status.code): \(String(buffer: body))")
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
    }
}

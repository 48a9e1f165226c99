import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// The test SAML IdP (`testing/saml-idp/idp.py`, pysaml2 signing with xmlsec1) as a real process on a loopback port
/// it picks itself, with its test control: register service providers and users, choose what is signed, and log a
/// user in to an AuthnRequest without a browser (what its login form would post to the ACS URL).
final class SAMLTestIdP: Sendable {
    /// `http://127.0.0.1:PORT`; the entity id is `<baseURL>/metadata`, which also serves the metadata.
    let baseURL: String
    private let process: ChildProcess

    var entityID: String { baseURL + "/metadata" }
    var metadataURL: URL { URL(string: baseURL + "/metadata")! }

    /// What is signed in later responses.
    enum Signing: String, Encodable {
        case response, assertion, both
    }

    /// The HTTP-POST binding's form fields, as the IdP's page would submit them to `acsURL`.
    struct Login: Decodable {
        let acsURL: String
        let samlResponse: String
        let relayState: String
        let inResponseTo: String

        enum CodingKeys: String, CodingKey {
            case acsURL = "acs_url"
            case samlResponse = "saml_response"
            case relayState = "relay_state"
            case inResponseTo = "in_response_to"
        }
    }

    init() async throws {
        process = try ChildProcess(
            "saml-idp", executable: "/usr/bin/env",
            arguments: [
                "python3", TestEnvironment.repositoryRoot.appendingPathComponent("testing/saml-idp/idp.py").path,
                "--port", "0",
            ])
        // Python importing pysaml2 and Flask and making an RSA key: slow to start on a loaded 2-core machine.
        let ready = try await process.waitForOutput("saml-idp ready ", timeout: .seconds(90))
        guard let url = ready.firstMatch(of: /saml-idp ready (http:\/\/[0-9.:]+)/)?.1 else {
            process.signal(SIGKILL)
            throw PeerError("saml-idp did not say where it listens: \(ready)")
        }
        baseURL = String(url)
    }

    func stop() async {
        await process.stop()
    }

    /// Runs `body` with a fresh IdP and stops it afterwards, whatever happens.
    static func with<Result>(_ body: (SAMLTestIdP) async throws -> Result) async throws -> Result {
        let idp = try await SAMLTestIdP()
        do {
            let result = try await body(idp)
            await idp.stop()
            return result
        } catch {
            await idp.stop()
            throw error
        }
    }

    func metadata() async throws -> Data {
        try await send(HTTPClientRequest(url: metadataURL.absoluteString))
    }

    /// The IdP accepts AuthnRequests only from registered service providers, to their registered ACS URL.
    func addServiceProvider(entityID: String, acsURL: String) async throws {
        struct Body: Encodable {
            let entityID: String
            let acsURL: String
        }
        _ = try await post("/test/service-providers", Body(entityID: entityID, acsURL: acsURL))
    }

    func addUser(_ username: String, password: String, groups: [String], email: String? = nil) async throws {
        struct Body: Encodable {
            let username: String
            let password: String
            let groups: [String]
            let email: String?
        }
        _ = try await post("/test/users", Body(username: username, password: password, groups: groups, email: email))
    }

    func sign(_ signing: Signing) async throws {
        struct Body: Encodable { let sign: Signing }
        _ = try await post("/test/sign", Body(sign: signing))
    }

    /// Logs `username` in to the AuthnRequest carried by `redirectURL` (the URL the SP sent the browser to). Without
    /// a password the IdP takes the user as authenticated.
    func login(redirectURL: URL, username: String, password: String? = nil) async throws -> Login {
        struct Body: Encodable {
            let redirectURL: String
            let username: String
            let password: String?
        }
        let answer = try await post(
            "/test/login", Body(redirectURL: redirectURL.absoluteString, username: username, password: password))
        return try JSONDecoder().decode(Login.self, from: answer)
    }

    /// An IdP-initiated response (no AuthnRequest) for a registered service provider; base64.
    func unsolicitedResponse(spEntityID: String, username: String) async throws -> String {
        struct Body: Encodable {
            let spEntityID: String
            let username: String
        }
        struct Answer: Decodable {
            let samlResponse: String
            enum CodingKeys: String, CodingKey { case samlResponse = "saml_response" }
        }
        let answer = try await post("/test/unsolicited", Body(spEntityID: spEntityID, username: username))
        return try JSONDecoder().decode(Answer.self, from: answer).samlResponse
    }

    /// The control's JSON keys are snake_case.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    private func post(_ path: String, _ body: some Encodable) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try Self.encoder.encode(body)))
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws -> Data {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw PeerError("\(request.url) answered \(response.status.code): \(String(buffer: body))")
        }
        return Data(buffer: body)
    }
}

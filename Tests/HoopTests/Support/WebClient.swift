import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import Synchronization

/// A browser's side of the approver page, by hand: it keeps cookies by name as `Set-Cookie` says, follows no
/// redirect (each is an answer under test), trusts the broker's certificate through its CA file, and sends the
/// headers a browser would (an `Origin` on every POST unless the test says otherwise).
final class WebClient: Sendable {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var location: String? { headers.first(name: "location") }
    }

    let broker: BrokerProcess
    private let client: HTTPClient
    private let jar = Mutex<[String: String]>([:])

    init(_ broker: BrokerProcess) throws {
        self.broker = broker
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(broker.caFile.path))
        client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow))
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    var cookies: [String: String] { jar.withLock { $0 } }

    func setCookie(_ name: String, _ value: String?) {
        jar.withLock { $0[name] = value }
    }

    /// GET a broker path or an absolute URL (the IdP's).
    func get(_ target: String) async throws -> Answer {
        try await send(HTTPClientRequest(url: url(target)))
    }

    /// POST a form; `origin` nil sends no Origin header at all.
    func post(_ target: String, form: [(String, String)], origin: String? = "default", referer: String? = nil)
        async throws -> Answer
    {
        var request = HTTPClientRequest(url: url(target))
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        if let origin { request.headers.add(name: "origin", value: origin == "default" ? broker.url : origin) }
        if let referer { request.headers.add(name: "referer", value: referer) }
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    /// POST a JSON body to a broker path, as an API client would (no cookies matter to the API).
    func postJSON(_ target: String, body: Data) async throws -> Answer {
        var request = HTTPClientRequest(url: url(target))
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: body))
        return try await send(request)
    }

    /// Logs in through the test IdP's form as `username`; returns the answer to the callback.
    @discardableResult
    func logIn(idp: IdentityProvider, username: String, email: String, groups: [String], next: String = "/approvals")
        async throws -> Answer
    {
        let start = try await get(
            "/login/oidc?issuer=\(Self.encode(idp.issuer))&next=\(Self.encode(next))")
        guard start.status == 303, let authorize = start.location else { throw PeerError("no redirect: \(start)") }
        let login = try await authorizeAtIdP(authorize, username: username, email: email, groups: groups)
        return try await get(login)
    }

    /// Answers the IdP's login form; returns where the IdP sends the browser back (the broker's callback).
    func authorizeAtIdP(_ authorize: String, username: String, email: String, groups: [String]) async throws
        -> String
    {
        let answer = try await post(
            authorize, form: [("username", username), ("email", email), ("groups", groups.joined(separator: ","))],
            origin: nil)
        guard answer.status == 302, let back = answer.location else { throw PeerError("IdP said \(answer)") }
        return back
    }

    /// The CSRF token a page's forms carry.
    static func csrf(in page: String) throws -> String {
        guard let match = page.firstMatch(of: /name="csrf" value="([^"]+)"/) else {
            throw PeerError("no CSRF token in the page")
        }
        return String(match.1)
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }

    private func url(_ target: String) -> String {
        target.hasPrefix("http") ? target : broker.url + target
    }

    private func send(_ request: HTTPClientRequest) async throws -> Answer {
        var request = request
        if request.url.hasPrefix(broker.url) {
            let header = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            if !header.isEmpty { request.headers.add(name: "cookie", value: header) }
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 << 20)
        for set in response.headers["set-cookie"] {
            let pair = set.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            setCookie(name, set.contains("Max-Age=0") || value.isEmpty ? nil : value)
        }
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }
}

import Foundation
import HoopCore
import Testing

/// A hostile local client against an `http` resource, by class: request smuggling and framing tricks, header
/// injection, method and URL overrides, oversized messages, HTTP/1.0 and keep-alive edges, pipelining around a
/// blocked request, clients that vanish mid-message, upgrades, and a target that reflects the held credential.
/// After each attack the API's own request log, read directly, says what reached it: a refused request never does.
@Suite("End to end: http resource attacks", .serialized)
struct HTTPAttackEndToEndTests: HTTPAPITest {
    static let apiToken = "attack-held-token-7c3f9e2b"
    /// The request every smuggling attempt hides behind the first: the rules block it, so it reaches the API only if
    /// the broker forwarded bytes it never judged.
    static let smuggled = "GET /v1/echo/forbidden/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    static let bodyLimit = 65536

    static func resourceYAML(apiPort: Int) -> String {
        let guardrails = """
                guardrails:
                  - name: no-user-deletes
                    match: { method: DELETE, path: "/v1/users/*" }
                    action: block
                  - name: forbidden
                    match: { path: "/v1/echo/forbidden/**" }
                    action: block
            """
        return """
              - name: api
                type: http
                url: http://127.0.0.1:\(apiPort)
                credential: { bearer_env: API_TOKEN }
                allow_groups: [agents]
                max_request_body: \(bodyLimit)
            \(guardrails)
                masking:
                  detectors: [email, payment_card]
                  columns: { "*.ssn": redact }
              - name: api-raw
                type: http
                url: http://127.0.0.1:\(apiPort)
                credential: { bearer_env: API_TOKEN }
                allow_groups: [agents]
            \(guardrails)
            """
    }

    @Test("smuggling, injection, overrides, limits, keep-alive, pipelining, disconnects, upgrades, reflection")
    func attacks() async throws {
        try await Self.withAPI { apiPort, _ in
            try await IdentityProvider.with { idp in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resourceYAML(apiPort: apiPort),
                    extraYAML: "auditor_groups: [audit]\n", environment: ["API_TOKEN": Self.apiToken])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await idp.addClient("auditor", secret: "auditor-secret", groups: ["audit"], subject: "carol")
                    let agent = try await ClientCLI.loggedIn(broker)
                    let auditor = try await ClientCLI.loggedIn(
                        broker, name: "auditor", clientID: "auditor", secret: "auditor-secret")
                    let (connect, port, session) = try await agent.connect("api")
                    defer { connect.signal(SIGTERM) }
                    let (rawConnect, rawPort, _) = try await agent.connect("api-raw")
                    defer { rawConnect.signal(SIGTERM) }
                    let attack = Attack(port: port, apiPort: apiPort)

                    try await Self.smuggling(attack)
                    try await Self.headerInjection(attack)
                    try await Self.overrides(attack)
                    try await Self.oversized(attack)
                    try await Self.versionsAndKeepAlive(attack)
                    try await Self.pipelining(attack)
                    try await Self.disconnects(attack)
                    try await Self.upgrades(attack)
                    try await Self.expectContinue(attack)
                    for reflecting in [port, rawPort] {
                        try await Self.credentialReflection(Attack(port: reflecting, apiPort: apiPort))
                    }
                    try await Self.maskedRequestValues(attack)

                    connect.signal(SIGTERM)
                    _ = try await connect.waitForExit(timeout: .seconds(20))
                    try await Self.evidence(agent: agent, auditor: auditor, session: session)
                }
            }
        }
    }

    /// The broker's local port and the API's, for an attack and its check against the API's log.
    struct Attack {
        let port: Int
        let apiPort: Int
        var base: String { "http://127.0.0.1:\(port)" }

        /// Sends `request` raw and reads until the broker closes or goes quiet.
        func raw(_ request: String) throws -> String { try RawHTTP.exchange(port: port, request, quiet: .seconds(2)) }

        /// The API's log since the last reset (without the test's own reads of it), then a reset.
        func reached() async throws -> [String] {
            let requests = try await HTTPAttackEndToEndTests.apiRequests(apiPort).filter { !$0.contains(" /_peer/") }
            try await HTTPAttackEndToEndTests.resetAPIRequests(apiPort)
            return requests
        }
    }

    static func statuses(_ response: String) -> [String] {
        response.matches(of: /HTTP\/1\.[01] (\d{3})/).map { String($0.1) }
    }

    // MARK: Framing

    static let smugglingAttempts: [(name: String, request: String)] = [
        (
            "CL.TE",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        ),
        (
            "TE.CL",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nabcde\r\n0\r\n\r\n"
        ),
        (
            "TE xchunked",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
        ),
        (
            "TE space value",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:  chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
        ),
        ("TE tab value", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n"),
        (
            "TE chunked, identity",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"
        ),
        (
            "TE identity only",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
        ),
        (
            "TE twice",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n"
        ),
        ("TE upper case", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n"),
        (
            "TE space before colon",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
        ),
        (
            "TE folded",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
        ),
        ("TE gzip, chunked", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        ("CL plus", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"),
        ("CL leading zeros", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0003\r\n\r\nabc"),
        ("CL whitespace", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length:  3 \r\n\r\nabc"),
        ("CL list", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"),
        ("CL two spellings", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 03\r\n\r\nabc"),
        ("CL hex", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc"),
        ("CL negative", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
        ("CL space before colon", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc"),
        ("CL overflow", "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551619\r\n\r\nabc"),
        (
            "chunk-size overflow",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff3\r\nabc\r\n0\r\n\r\n"
        ),
        (
            "chunk-size negative",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n"
        ),
        (
            "chunk-size hex prefix",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n"
        ),
        (
            "chunk not closed",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX\r\n0\r\n\r\n"
        ),
        (
            "chunk extension",
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"\r\n\"\r\nabc\r\n0\r\n\r\n"
        ),
        ("bare LF", "POST /v1/echo HTTP/1.1\nHost: x\nContent-Length: 3\n\nabc"),
        ("bare CR", "POST /v1/echo HTTP/1.1\rHost: x\r\nContent-Length: 3\r\n\r\nabc"),
        ("NUL in header", "GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n"),
        ("NUL in name", "GET /v1/echo HTTP/1.1\r\nHost: x\r\nX\u{0}A: a\r\n\r\n"),
        ("space in name", "GET /v1/echo HTTP/1.1\r\nHost: x\r\nX A: a\r\n\r\n"),
        ("header without colon", "GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-A a\r\n\r\n"),
        ("HTTP/1.1 without Host", "GET /v1/echo HTTP/1.1\r\n\r\n"),
        ("two Hosts", "GET /v1/echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        ("HTTP/0.9", "GET /v1/echo\r\n\r\n"),
        ("HTTP/1.2", "GET /v1/echo HTTP/1.2\r\nHost: x\r\n\r\n"),
        ("request line spaces", "GET  /v1/echo  HTTP/1.1\r\nHost: x\r\n\r\n"),
    ]

    /// However the first request is framed, the blocked request behind it never reaches the API; ambiguous framing
    /// ends the connection.
    static func smuggling(_ attack: Attack) async throws {
        _ = try await attack.reached()
        for (name, request) in smugglingAttempts {
            let response = try attack.raw(request + smuggled)
            let statuses = statuses(response)
            #expect(
                statuses.allSatisfy { ["200", "400", "403", "413", "501", "505"].contains($0) },
                "\(name): \(response.prefix(300))")
            let reached = try await attack.reached()
            #expect(!reached.contains { $0.contains("smuggled") }, "\(name) smuggled a request through: \(reached)")
            if name.hasPrefix("CL.TE") || name.hasPrefix("TE.CL") || name == "CL two spellings" {
                #expect(statuses == ["400"], "\(name) is refused once and the connection ends: \(response)")
                #expect(reached.isEmpty, "\(name) never reaches the API: \(reached)")
            }
        }
        // The same with a request that is allowed: behind ambiguous framing it is not read at all.
        let allowed = try attack.raw(
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /v1/echo/after-ambiguous HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(statuses(allowed) == ["400"], "\(allowed)")
        #expect(try await attack.reached().isEmpty, "nothing behind ambiguous framing is read")
    }

    /// CR, LF and NUL inside header values never become a header or request of their own at the API.
    static func headerInjection(_ attack: Attack) async throws {
        for injected in [
            "X-A: a\rX-HTTP-Method-Override: DELETE", "X-A: a\nX-Forwarded-For: 1.2.3.4",
            "X-A: a\r\n\r\nGET /v1/echo/forbidden/injected HTTP/1.1", "X-A: a%0d%0aX-B: b",
        ] {
            let response = try attack.raw(
                "GET /v1/echo HTTP/1.1\r\nHost: x\r\n\(injected)\r\nConnection: close\r\n\r\n")
            #expect(!response.contains("X-Forwarded-For"), "\(injected): \(response.prefix(400))")
            let reached = try await attack.reached()
            #expect(!reached.contains { $0.contains("injected") || $0.hasPrefix("DELETE") }, "\(injected): \(reached)")
        }
        let echo = try await curlJSON(["-H", "X-A: a%0d%0aX-B: b", "\(attack.base)/v1/echo"])
        let headers = (echo["headers"] as? [[String]]) ?? []
        #expect(!headers.contains { $0.first?.lowercased() == "x-b" }, "an encoded CRLF stays text: \(headers)")
        _ = try await attack.reached()
    }

    /// Headers that would make the target run another method or path, in every spelling, are refused; identity
    /// headers spelled with underscores are stripped like their dashed forms.
    static func overrides(_ attack: Attack) async throws {
        for header in [
            "X-HTTP-Method-Override: DELETE", "x-http-method-override: DELETE", "X-Http-Method-Override: delete",
            "X-HTTP-Method: DELETE", "X-Method-Override: DELETE", "X_HTTP_Method_Override: DELETE",
            "x_http_method_override: DELETE", "X-HTTP-Method-Override:   DELETE   ", "X-Original-URL: /v1/users/1",
            "X-Rewrite-URL: /v1/users/1", "X_Original_URL: /v1/users/1",
        ] {
            let response = try attack.raw(
                "POST /v1/users/1 HTTP/1.1\r\nHost: x\r\n\(header)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            #expect(statuses(response) == ["400"], "\(header): \(response.prefix(300))")
        }
        let spaced = try attack.raw(
            "POST /v1/users/1 HTTP/1.1\r\nHost: x\r\nX-HTTP-Method-Override : DELETE\r\nContent-Length: 0\r\n\r\n")
        #expect(statuses(spaced) == ["400"], "a space before the colon: \(spaced.prefix(300))")
        var reached = try await attack.reached()
        #expect(reached.isEmpty, "no override reached the API: \(reached)")

        let echo = try await curlJSON([
            "-H", "X_Forwarded_For: 10.9.9.9", "-H", "X_Real_IP: 10.9.9.9", "-H", "X_Remote_User: admin",
            "-H", "X_API_Key: mine", "-H", "Connection: X-Drop", "-H", "X_Drop: 1", "\(attack.base)/v1/echo",
        ])
        let headers = ((echo["headers"] as? [[String]]) ?? []).map { $0.first?.lowercased() ?? "" }
        for stripped in ["x_forwarded_for", "x_real_ip", "x_remote_user", "x_api_key", "x_drop"] {
            #expect(!headers.contains(stripped), "\(stripped) is an identity or connection header: \(headers)")
        }
        #expect(!headers.isEmpty, "the echo answered: \(echo)")
        reached = try await attack.reached()
        #expect(reached == ["GET /v1/echo"], "\(reached)")
    }

    /// Bodies and headers over the limits are answered by the broker alone, and the connection ends.
    static func oversized(_ attack: Attack) async throws {
        let big = String(repeating: "a", count: bodyLimit + 1)
        let declared = try attack.raw(
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(big.utf8.count)\r\n\r\n\(big)" + smuggled)
        #expect(statuses(declared) == ["413"], "\(declared.prefix(300))")
        let chunked = try attack.raw(
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8000\r\n\(String(repeating: "b", count: 0x8000))\r\n"
                + "8000\r\n\(String(repeating: "b", count: 0x8000))\r\n"
                + "1\r\nb\r\n0\r\n\r\n" + smuggled)
        #expect(statuses(chunked) == ["413"], "\(chunked.prefix(300))")
        let expecting = try RawHTTP.Connection(port: attack.port)
        try expecting.send(
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\n\r\n")
        let early = expecting.receive(quiet: .seconds(2))
        #expect(statuses(early) == ["413"], "refused before the body is sent: \(early.prefix(300))")
        let reached = try await attack.reached()
        #expect(reached.isEmpty, "no oversized body reached the API: \(reached)")
        // Headers: the broker's parser limit or the API's own; either way no 200 and the broker keeps serving.
        let header = try attack.raw(
            "GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "h", count: 200_000))\r\n\r\n")
        #expect(!statuses(header).contains("200"), "\(header.prefix(300))")
        let manyHeaders = (0..<5000).map { "X-H\($0): v\r\n" }.joined()
        let many = try attack.raw("GET /v1/echo HTTP/1.1\r\nHost: x\r\n\(manyHeaders)\r\n")
        #expect(!statuses(many).contains("200"), "\(many.prefix(300))")
        let longTarget = try attack.raw(
            "GET /v1/echo/\(String(repeating: "p", count: 200_000)) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(!statuses(longTarget).contains("200"), "\(longTarget.prefix(300))")
        _ = try await attack.reached()
        let status = try await curlStatus([
            "-X", "POST", "--data-binary", String(repeating: "c", count: bodyLimit), "\(attack.base)/v1/echo",
        ])
        #expect(status == 200, "a body at the limit is forwarded")
        _ = try await attack.reached()
    }

    /// HTTP/1.0 gets an HTTP/1.0 response delimited by close (never chunked), keep-alive survives a refusal, and
    /// `Connection: close` is honoured.
    static func versionsAndKeepAlive(_ attack: Attack) async throws {
        for request in [
            "GET /v1/users HTTP/1.0\r\n\r\n", "GET /v1/users HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "GET /v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ] {
            let connection = try RawHTTP.Connection(port: attack.port)
            try connection.send(request)
            let response = connection.receive(quiet: .seconds(5))
            let parts = response.components(separatedBy: "\r\n\r\n")
            let head = parts.first ?? ""
            let body = parts.dropFirst().joined(separator: "\r\n\r\n")
            #expect(!body.contains("alice@example.com"), "masked: \(request)")
            if request.contains("HTTP/1.0") {
                #expect(head.hasPrefix("HTTP/1.0 200"), "\(head)")
                #expect(!head.lowercased().contains("transfer-encoding"), "HTTP/1.0 has no chunked coding: \(head)")
                #expect(
                    (try? JSONSerialization.jsonObject(with: Data(body.utf8))) != nil,
                    "the body is whole: \(body.prefix(200))")
                let framed = head.lowercased().contains("content-length") || connection.peerClosed()
                #expect(framed, "an HTTP/1.0 body without a length ends with the connection: \(head)")
            } else {
                #expect(head.lowercased().contains("connection: close") && connection.peerClosed(), "\(head)")
            }
        }
        let keepAlive = try RawHTTP.Connection(port: attack.port)
        for (request, status) in [
            ("DELETE /v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\n", "403"),
            ("GET /v1/users/2 HTTP/1.1\r\nHost: x\r\n\r\n", "200"),
            ("GET /v1/users%2F2 HTTP/1.1\r\nHost: x\r\n\r\n", "400"),
            ("GET /v1/echo/forbidden HTTP/1.1\r\nHost: x\r\n\r\n", "403"),
            ("GET /v1/users/3 HTTP/1.1\r\nHost: x\r\n\r\n", "200"),
        ] {
            try keepAlive.send(request)
            let response = keepAlive.receive(quiet: .seconds(1))
            #expect(statuses(response) == [status], "\(request) on a kept-alive connection: \(response.prefix(200))")
        }
        let reached = try await attack.reached()
        #expect(
            reached.filter { !$0.hasPrefix("GET /v1/users") }.isEmpty && !reached.contains { $0.contains("%2F") },
            "only the allowed requests reached the API: \(reached)")
    }

    /// A blocked request in the middle of a pipeline is answered in order and never forwarded.
    static func pipelining(_ attack: Attack) async throws {
        let pipeline = [
            "GET /v1/echo/one HTTP/1.1\r\nHost: x\r\n\r\n", "DELETE /v1/users/2 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/echo/forbidden/two HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/echo/three HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
            "GET /v1/%2e%2e/v1/echo/forbidden/x HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/echo/four HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ]
        let response = try attack.raw(pipeline.joined())
        #expect(statuses(response) == ["200", "403", "403", "200", "403", "200"], "\(response)")
        let reached = try await attack.reached()
        #expect(
            reached == ["GET /v1/echo/one", "POST /v1/echo/three", "GET /v1/echo/four"],
            "in order, none blocked: \(reached)")
    }

    /// A client gone mid-body sends nothing on; one gone mid-response leaves the broker serving others.
    static func disconnects(_ attack: Attack) async throws {
        let midBody = try RawHTTP.Connection(port: attack.port)
        try midBody.send("POST /v1/echo/mid-body HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        try midBody.send(String(repeating: "x", count: 500))
        midBody.reset()
        let midChunk = try RawHTTP.Connection(port: attack.port)
        try midChunk.send("POST /v1/echo/mid-chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")
        midChunk.reset()
        let halfClosed = try RawHTTP.Connection(port: attack.port)
        try halfClosed.send("POST /v1/echo/half HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        halfClosed.halfClose()
        #expect(!statuses(halfClosed.receive(quiet: .seconds(2))).contains("200"), "a half-sent body is not served")
        let midResponse = try RawHTTP.Connection(port: attack.port)
        try midResponse.send("GET /v1/big?mb=64 HTTP/1.1\r\nHost: x\r\n\r\n")
        let start = midResponse.receiveBytes(quiet: .seconds(5), limit: 200_000)
        #expect(start.count >= 100_000, "the response started: \(start.count) bytes")
        midResponse.reset()
        try await Task.sleep(for: .seconds(1))
        let reached = try await attack.reached()
        #expect(!reached.contains { $0.contains("mid-") || $0.contains("half") }, "\(reached)")
        let after = try await curlStatus(["\(attack.base)/v1/users/1"])
        #expect(after == 200, "the broker serves on after clients vanish")
        _ = try await attack.reached()
    }

    /// A WebSocket handshake is relayed (and what is smuggled behind it is read as frames, never as a request);
    /// other upgrades, half-made handshakes, tunnels and targets that are not paths are refused without reaching
    /// the API.
    static func upgrades(_ attack: Attack) async throws {
        let websocket = try attack.raw(
            "GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" + smuggled)
        #expect(statuses(websocket).first == "101", "a WebSocket handshake is relayed: \(websocket.prefix(300))")
        for request in [
            "GET /v1/echo HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
            "GET /v1/echo HTTP/1.1\r\nHost: x\r\nupgrade: websocket\r\n\r\n",
            "POST /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n",
            "CONNECT 127.0.0.1:\(attack.apiPort) HTTP/1.1\r\nHost: 127.0.0.1:\(attack.apiPort)\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "TRACE /v1/echo HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET http://127.0.0.1:\(attack.apiPort)/v1/echo/absolute HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET 127.0.0.1:\(attack.apiPort) HTTP/1.1\r\nHost: x\r\n\r\n",
        ] {
            let response = try attack.raw(request + smuggled)
            let first = statuses(response).first ?? ""
            #expect(["400", "405", "501"].contains(first), "\(request.prefix(40)): \(response.prefix(300))")
            #expect(!response.contains("101 Switching"), "no upgrade: \(response.prefix(300))")
        }
        let reached = try await attack.reached()
        #expect(reached == ["GET /v1/ws"], "only the handshake reached the API, nothing behind it: \(reached)")
    }

    /// `Expect: 100-continue` gets its body through (curl waits, then sends), and the API never sees the header.
    static func expectContinue(_ attack: Attack) async throws {
        let echo = try await curlJSON([
            "-H", "Expect: 100-continue", "--data-binary", String(repeating: "e", count: 20_000),
            "\(attack.base)/v1/echo",
        ])
        #expect(echo["body_length"] as? Int == 20_000, "\(echo.keys)")
        let headers = ((echo["headers"] as? [[String]]) ?? []).map { $0.first?.lowercased() ?? "" }
        #expect(!headers.contains("expect"), "Expect is hop-by-hop: \(headers)")
        _ = try await attack.reached()
    }

    // MARK: Reflection and evidence

    /// The API echoes the Authorization the broker injected: however the echo is cut into chunks, and whether the
    /// resource masks or not, the token never reaches the client, in headers or body.
    static func credentialReflection(_ attack: Attack) async throws {
        var sizes = Array(0..<24) + [1000, 4093, 8189, 16381, 32765, 60000]
        sizes += [16384, 65536 - 600].flatMap { around in (around - 40...around + 4).map { $0 } }
        for size in sizes {
            let response = try await ChildProcess.run(
                "/usr/bin/curl",
                [
                    "-sS", "-i", "--max-time", "30", "-H",
                    "X-Pad: \(String(repeating: "p", count: max(1, size % 7000)))",
                    "--data-binary", String(repeating: "b", count: size), "\(attack.base)/v1/echo",
                ], timeout: .seconds(40))
            #expect(!response.stdout.contains(apiToken), "the token came back with a \(size)-byte body")
            #expect(response.stdout.contains("[HELD_CREDENTIAL]"), "the echo answered (\(size))")
        }
        let stream = try await curl(["-i", "\(attack.base)/v1/echo/stream?x=1"])
        #expect(!stream.contains(apiToken))
        _ = try await attack.reached()
    }

    /// Values the masking policy covers, sent in a query and a body, for the recording to keep masked.
    static func maskedRequestValues(_ attack: Attack) async throws {
        _ = try await curl(["\(attack.base)/v1/echo?email=alice@example.com&card=4111111111111111"])
        _ = try await curl([
            "-H", "Content-Type: application/json", "--data", #"{"email": "bob@example.org"}"#,
            "\(attack.base)/v1/echo",
        ])
        _ = try await curl(["\(attack.base)/v1/users"])
        _ = try await attack.reached()
    }

    /// Neither the recording nor the audit export holds a masked value or the held credential.
    static func evidence(agent: ClientCLI, auditor: ClientCLI, session: String) async throws {
        let replay = try await agent.run(["replay", session, "--no-timing"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("/v1/echo"), "the session was recorded: \(replay.stdout.prefix(300))")
        let export = try await auditor.run(["audit", "export", "--format", "jsonl", "--out", "-"])
        #expect(export.status == 0, "\(export.stderr)")
        for (name, text) in [("replay", replay.stdout), ("audit export", export.stdout)] {
            for secret in [apiToken, "alice@example.com", "bob@example.org", "4111111111111111", "536-22-8726"] {
                #expect(!text.contains(secret), "\(name) holds \(secret)")
            }
        }
    }
}

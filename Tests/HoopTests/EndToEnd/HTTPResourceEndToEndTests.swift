import Foundation
import HoopCore
import Testing

/// An `http` resource in front of the JSON API of `testing/http-api` (which requires a bearer token the clients
/// never have): curl, Python `requests` and `hoopctl exec` through the broker, the held credential injected and the
/// client's own stripped, JSON bodies masked by detectors and by key, a blocked DELETE however its path is spelled,
/// an approval bound to one exact body, framing attacks refused, and the session replayed. The API's own request
/// log says what reached it.
@Suite("End to end: http resources", .serialized)
struct HTTPResourceEndToEndTests: HTTPAPITest {
    static let apiToken = "api-held-token-5d1e"

    static func resourceYAML(apiPort: Int) -> String {
        """
          - name: api
            type: http
            url: http://127.0.0.1:\(apiPort)
            credential: { bearer_env: API_TOKEN }
            allow_groups: [agents, dba]
            guardrails:
              - name: no-user-deletes
                match: { method: DELETE, path: "/v1/users/*" }
                action: block
              - name: root-renames
                match: { method: [PUT, PATCH], path: "/v1/users/{id}", body: { name: "root*" } }
                action: require_approval
                approvers: [dba]
            masking:
              detectors: [email, payment_card]
              columns: { "*.ssn": redact, "address.street": redact }
        """
    }

    @Test("credentials, masking, blocked spellings, framing attacks, an approval bound to its body, exec, replay")
    func governed() async throws {
        try await Self.withAPI { apiPort, api in
            try await IdentityProvider.with { idp in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resourceYAML(apiPort: apiPort),
                    environment: ["API_TOKEN": Self.apiToken])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await idp.addClient("alice", secret: "alice-secret", groups: ["dba"], subject: "alice")
                    let agent = try await ClientCLI.loggedIn(broker)
                    let alice = try await ClientCLI.loggedIn(
                        broker, name: "alice", clientID: "alice", secret: "alice-secret")
                    let (connect, port, session) = try await agent.connect("api")
                    defer { connect.signal(SIGTERM) }
                    let base = "http://127.0.0.1:\(port)"

                    try await Self.checkCredentials(base)
                    try await Self.checkMasking(base)
                    try await Self.checkBlockedSpellings(base, port: port)
                    try Self.checkFraming(port: port)
                    do {
                        try await Self.checkRequests(base)
                    } catch {
                        print("BROKER\n\(broker.output)\nCONNECT\n\(connect.stdout)\(connect.stderr)")
                        throw error
                    }
                    let requests = try await Self.apiRequests(apiPort)
                    #expect(
                        !requests.contains { $0.hasPrefix("DELETE") }, "no DELETE ever reached the API: \(requests)")
                    let alive = try await Self.curl(["\(base)/v1/users/1"])
                    #expect(alive.contains("\"id\": 1"), "user 1 was never deleted: \(alive)")

                    try await Self.checkApproval(agent: agent, alice: alice)
                    try await Self.checkExec(agent)
                    connect.signal(SIGTERM)
                    _ = try await connect.waitForExit(timeout: .seconds(20))
                    try await Self.checkReplay(agent, session: session)
                    // What the connections masked is audited when each ends, once per connection.
                    try await broker.waitFor("action=masking.applied actor=ci-agent decision=info resource=api")
                    _ = api
                }
            }
        }
    }

    // MARK: Checks

    /// The API sees the broker's bearer exactly once, never the client's, nor its cookie or forwarded identity.
    static func checkCredentials(_ base: String) async throws {
        let echo = try await curlJSON([
            "-H", "Authorization: Bearer stolen-token", "-H", "Cookie: session=abc", "-H", "X-Forwarded-For: 10.0.0.1",
            "-H", "Impersonate-User: admin", "\(base)/v1/echo?x=1",
        ])
        let headers = (echo["headers"] as? [[String]]) ?? []
        let authorizations = headers.filter { $0.first?.lowercased() == "authorization" }.map { $0.last ?? "" }
        // The API answered, so it got the held bearer (it requires it); the echo of it comes back scrubbed.
        #expect(authorizations == ["Bearer [HELD_CREDENTIAL]"], "exactly one credential, and never shown: \(headers)")
        #expect(!"\(echo)".contains(apiToken), "the held token never reaches the client")
        for stripped in ["cookie", "x-forwarded-for", "impersonate-user"] {
            #expect(!headers.contains { $0.first?.lowercased() == stripped }, "\(stripped) never reaches the API")
        }
        let host = headers.first { $0.first?.lowercased() == "host" }?.last ?? ""
        #expect(host.hasPrefix("127.0.0.1:"), "Host is the target's: \(host)")
    }

    /// E-mails and cards masked by detectors (also inside escapes), SSNs and streets by key; other values untouched.
    static func checkMasking(_ base: String) async throws {
        let users = try await curl(["\(base)/v1/users"])
        for secret in ["alice@example.com", "4111111111111111", "536-22-8726", "1 Main Street"] {
            #expect(!users.contains(secret), "\(secret) is masked: \(users)")
        }
        #expect(users.contains("Springfield"), "unmasked values pass unchanged: \(users)")
        #expect(users.contains("Alice Example"), "names are not masked: \(users)")
        let parsed = try JSONSerialization.jsonObject(with: Data(users.utf8))
        #expect(parsed is [Any], "the masked body is still JSON")

        let text = try await curl(["\(base)/v1/text"])
        #expect(
            !text.contains("alice@example.com") && !text.contains("4111111111111111"), "text bodies masked: \(text)")
        let stream = try await curl(["\(base)/v1/stream?lines=15&delay_ms=5&split=1"])
        #expect(
            !stream.contains("4111111111111111") && !stream.contains("@example"), "a streamed body is masked: \(stream)"
        )
        let gzip = try await curlStatus(["\(base)/v1/gzip"])
        #expect(gzip == 502, "a compressed body the broker cannot mask is refused, not passed through")
        let ndjson = try await curl(["\(base)/v1/ndjson?n=5&delay_ms=5"])
        #expect(
            ndjson.split(separator: "\n").count == 5 && !ndjson.contains("@example"),
            "ndjson masked per line: \(ndjson)")
    }

    /// One guarded DELETE however it is spelled, and requests that would run another method.
    static func checkBlockedSpellings(_ base: String, port: Int) async throws {
        let spellings = [
            "/v1/users/1", "/v1/%75sers/1", "/v1/x/../users/1", "/v1//users/1", "/v1/./users/1", "/v1/users/1/",
            "/v1/users/1;x=y", "/v1/users/%31",
        ]
        for path in spellings {
            let status = try await curlStatus(["-X", "DELETE", "--path-as-is", base + path])
            #expect(status == 403, "DELETE \(path) is blocked, got \(status)")
        }
        for refused in [
            "/v1/users/1%2F", "/v1/users%2F1", "/v1/users/..%2F1", "/v1/../../etc/passwd", "/v1/users/1%00",
        ] {
            let status = try await curlStatus(["-X", "DELETE", "--path-as-is", base + refused])
            #expect(status == 400, "DELETE \(refused) is refused as ambiguous, got \(status)")
        }
        let overridden = try await curlStatus([
            "-X", "POST", "-H", "X-HTTP-Method-Override: DELETE", "\(base)/v1/users/1",
        ])
        #expect(overridden == 400, "a method-override header is refused")
        let underscore = try await curlStatus(["-X", "POST", "\(base)/v1/users/1?_method=DELETE"])
        #expect(underscore == 403, "_method=DELETE is judged as a DELETE")
        let form = try await curlStatus(["-X", "POST", "--data", "_method=delete", "\(base)/v1/users/1"])
        #expect(form == 403, "a form body's _method is judged too")
        let refusal = try await curlJSON(["-X", "DELETE", "\(base)/v1/users/2"])
        let error = refusal["error"] as? [String: Any]
        #expect(error?["kind"] as? String == "blocked", "the refusal says why: \(refusal)")
        #expect((error?["message"] as? String)?.contains("no-user-deletes") == true, "and names the rule")
    }

    /// Framing two parsers could read differently never reaches the target.
    static func checkFraming(port: Int) throws {
        let smuggled = try RawHTTP.exchange(
            port: port,
            "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "DELETE /v1/users/3 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(smuggled.hasPrefix("HTTP/1.1 400"), "CL+TE is refused: \(smuggled.prefix(200))")
        let folded = try RawHTTP.exchange(port: port, "GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n")
        #expect(folded.hasPrefix("HTTP/1.1 400"), "an obs-folded header is refused: \(folded.prefix(200))")
        let twoLengths = try RawHTTP.exchange(
            port: port, "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc")
        #expect(twoLengths.hasPrefix("HTTP/1.1 400"), "conflicting lengths are refused: \(twoLengths.prefix(200))")
        let twoHosts = try RawHTTP.exchange(port: port, "GET /v1/echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        #expect(twoHosts.hasPrefix("HTTP/1.1 400"), "two Host headers are refused: \(twoHosts.prefix(200))")
        let absolute = try RawHTTP.exchange(port: port, "DELETE http://evil/v1/users/3 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(absolute.hasPrefix("HTTP/1.1 400"), "absolute-form targets are refused: \(absolute.prefix(200))")
        let pipelined = try RawHTTP.exchange(
            port: port,
            "GET /v1/users/1 HTTP/1.1\r\nHost: x\r\n\r\nDELETE /v1/users/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /v1/users/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let statuses = pipelined.matches(of: /HTTP\/1\.1 (\d{3})/).map { String($0.1) }
        #expect(statuses == ["200", "403", "200"], "pipelined requests judged each: \(pipelined)")
    }

    /// Python `requests`, unchanged, against the local port.
    static func checkRequests(_ base: String) async throws {
        let script = """
            import json, sys, requests
            base = sys.argv[1]
            users = requests.get(base + "/v1/users").json()
            created = requests.post(base + "/v1/users", json={"name": "Dan", "email": "dan@example.com"})
            deleted = requests.delete(base + "/v1/users/1")
            print(json.dumps({"emails": [u["email"] for u in users], "created": created.status_code,
                              "created_email": created.json().get("email"), "deleted": deleted.status_code}))
            """
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, base], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((result["emails"] as? [String])?.allSatisfy { !$0.contains("@example") } == true, "\(result)")
        #expect(result["created"] as? Int == 201 && result["deleted"] as? Int == 403, "\(result)")
        #expect((result["created_email"] as? String)?.contains("dan@") == false, "a created object's echo is masked")
    }

    /// A root rename waits for approval; the approval covers exactly that body, once.
    static func checkApproval(agent: ClientCLI, alice: ClientCLI) async throws {
        let body = #"{"name": "root-2", "email": "b@example.org"}"#
        let pending = try await agent.run(["exec", "api", "--no-wait", "--", "PUT", "/v1/users/2", body])
        #expect(pending.status == 4, "pending: \(pending.stderr)")
        let id = pending.stderr.firstMatch(of: /--approval (\d+)/).map { String($0.1) } ?? ""
        #expect(!id.isEmpty, "the request id is named: \(pending.stderr)")
        let approved = try await alice.run(["approvals", "approve", id])
        #expect(approved.status == 0, "\(approved.stderr)")
        let other = try await agent.run(
            ["exec", "api", "--approval", id, "--", "PUT", "/v1/users/2", #"{"name": "root-3"}"#])
        #expect(other.status != 0, "another body does not fit the approval: \(other.stderr)")
        let ran = try await agent.run(["exec", "api", "--approval", id, "--", "PUT", "/v1/users/2", body])
        #expect(ran.status == 0, "the approved body runs: \(ran.stderr)")
        #expect(ran.stdout.contains("root-2") && !ran.stdout.contains("b@example.org"), "answer masked: \(ran.stdout)")
        let again = try await agent.run(["exec", "api", "--approval", id, "--", "PUT", "/v1/users/2", body])
        #expect(again.status != 0, "an approval runs once: \(again.stderr)")
    }

    static func checkExec(_ agent: ClientCLI) async throws {
        let users = try await agent.run(["exec", "api", "--", "GET", "/v1/users/3"])
        #expect(users.status == 0 && users.stdout.contains("Carol") && !users.stdout.contains("carol.c@"), "\(users)")
        let missing = try await agent.run(["exec", "api", "--", "GET", "/v1/status/404"])
        #expect(missing.status == 22, "a target error exits 22: \(missing.stderr)")
        let blocked = try await agent.run(["exec", "api", "--", "DELETE", "/v1/users/3"])
        #expect(blocked.status == 126 && blocked.stderr.contains("no-user-deletes"), "\(blocked.stderr)")
    }

    static func checkReplay(_ agent: ClientCLI, session: String) async throws {
        let replay = try await agent.run(["replay", session, "--no-timing"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("GET /v1/users"), "requests replayed: \(replay.stdout.prefix(600))")
        #expect(replay.stdout.contains("HTTP 403 from the broker (blocked)"), "refusals replayed")
        #expect(!replay.stdout.contains("alice@example.com"), "the recording holds masked bodies only")
        #expect(!replay.stdout.contains(apiToken), "the held credential is never recorded")
    }
}
